/**
 * A local fake of Amazon Bedrock's ConverseStream for tests: a Node HTTP server on 127.0.0.1 that answers
 * `POST /model/{modelId}/converse-stream` with frames encoded by @smithy/eventstream-codec exactly as the
 * service sends them (application/vnd.amazon.eventstream; `:message-type` event, `:event-type` messageStart,
 * contentBlockStart, contentBlockDelta, contentBlockStop, messageStop, metadata). A script decides each turn.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EventStreamCodec } from "@smithy/eventstream-codec";

export interface ConverseRequestBody {
  modelId: string;
  system?: { text: string }[];
  messages: { role: string; content: Record<string, unknown>[] }[];
  toolConfig?: {
    tools: { toolSpec: { name: string; description: string; inputSchema: { json: unknown } } }[];
  };
}

/** One block of an assistant turn: text (streamed in chunks) or a tool call (input streamed as JSON text). */
export type ScriptBlock =
  | { text: string; chunks?: number }
  | { toolUse: { toolUseId: string; name: string; inputJson: string } };

export type ScriptTurn =
  | { blocks: ScriptBlock[]; stopReason?: string }
  /** An HTTP error as Bedrock returns it (e.g. 429 ThrottlingException). */
  | { error: { status: number; type: string; message: string } };

export type Script = (body: ConverseRequestBody, turn: number) => ScriptTurn;

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString("utf8"),
  (text) => new Uint8Array(Buffer.from(text, "utf8")),
);

function frame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), "utf8")),
  });
}

function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [""];
}

/** The frames of one assistant turn, in wire order. */
export function turnFrames(blocks: ScriptBlock[], stopReason: string): Uint8Array[] {
  const frames = [frame("messageStart", { role: "assistant" })];
  blocks.forEach((block, index) => {
    if ("text" in block) {
      for (const chunk of split(block.text, block.chunks ?? 3))
        frames.push(frame("contentBlockDelta", { contentBlockIndex: index, delta: { text: chunk } }));
    } else {
      frames.push(
        frame("contentBlockStart", {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId: block.toolUse.toolUseId, name: block.toolUse.name } },
        }),
      );
      for (const chunk of split(block.toolUse.inputJson, 2)) {
        frames.push(
          frame("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: chunk } } }),
        );
      }
    }
    frames.push(frame("contentBlockStop", { contentBlockIndex: index }));
  });
  frames.push(frame("messageStop", { stopReason }));
  frames.push(
    frame("metadata", {
      usage: { inputTokens: 10, outputTokens: 10, totalTokens: 20 },
      metrics: { latencyMs: 5 },
    }),
  );
  return frames;
}

export interface FakeBedrock {
  url: string;
  /** Every request body received, in order. */
  requests: ConverseRequestBody[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeBedrock(
  script: Script,
  options: { port?: number; frameDelayMs?: number } = {},
): Promise<FakeBedrock> {
  const requests: ConverseRequestBody[] = [];
  const server: Server = createServer(async (request, response) => {
    const match = /^\/model\/([^/]+)\/converse-stream$/.exec(request.url ?? "");
    if (request.method !== "POST" || !match) {
      response
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ message: "not found" }));
      return;
    }
    const body = {
      ...(JSON.parse(await readBody(request)) as ConverseRequestBody),
      modelId: decodeURIComponent(match[1] ?? ""),
    };
    const turn = script(body, requests.length);
    requests.push(body);
    if ("error" in turn) {
      response
        .writeHead(turn.error.status, {
          "content-type": "application/json",
          "x-amzn-errortype": `${turn.error.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        })
        .end(JSON.stringify({ message: turn.error.message }));
      return;
    }
    response.writeHead(200, {
      "content-type": "application/vnd.amazon.eventstream",
      "x-amzn-requestid": `fake-${requests.length}`,
    });
    for (const bytes of turnFrames(turn.blocks, turn.stopReason ?? "end_turn")) {
      response.write(bytes);
      if (options.frameDelayMs) await new Promise((resolve) => setTimeout(resolve, options.frameDelayMs));
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The text of the latest tool results in a request (what the model would read). */
export function lastToolResults(body: ConverseRequestBody): string[] {
  const last = body.messages.at(-1);
  return (last?.content ?? []).flatMap((block) => {
    const result = block.toolResult as { content?: { text?: string }[] } | undefined;
    return result ? (result.content ?? []).map((c) => c.text ?? "") : [];
  });
}
