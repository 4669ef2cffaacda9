import {
  type BedrockRuntimeClient,
  type ContentBlock,
  ConverseStreamCommand,
  type Message,
  type Tool,
  type ToolResultBlock,
} from "@aws-sdk/client-bedrock-runtime";
import type { AgentEvent } from "./agent-events.ts";
import { untrustedToolResult } from "./agent-prompt.server.ts";

/** The MCP side of the loop: the tools to offer and a way to call one. */
export interface ToolHost {
  listTools(): Promise<{ name: string; description?: string; inputSchema: Record<string, unknown> }[]>;
  callTool(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ ok: boolean; content: unknown; text: string }>;
}

export interface AgentOptions {
  client: BedrockRuntimeClient;
  modelId: string;
  system: string;
  tools: ToolHost;
  /** The conversation so far; the new user turn is appended and the answer (with tool turns) too. */
  messages: Message[];
  maxIterations: number;
  signal: AbortSignal;
  emit: (event: AgentEvent) => void;
  /** Backoff on throttling: attempts per model call and the first delay (doubles, with jitter). */
  retries?: number;
  baseDelayMs?: number;
}

const RETRYABLE = new Set([
  "ThrottlingException",
  "ServiceUnavailableException",
  "ModelNotReadyException",
  "InternalServerException",
]);

/**
 * The agent loop: ask the model (ConverseStream), stream its text, run every tool it asks for (in parallel)
 * through MCP, feed the results back, until it stops asking or the iteration cap is reached. Throttling
 * is retried with backoff as long as nothing of that turn was streamed yet; the abort signal stops it all.
 */
export async function runAgent(options: AgentOptions): Promise<string> {
  const { tools, messages, signal, emit } = options;
  const toolSpecs: Tool[] = (await tools.listTools()).map((tool) => ({
    toolSpec: {
      name: tool.name,
      description: tool.description ?? tool.name,
      inputSchema: { json: tool.inputSchema as never },
    },
  }));
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    const turn = await converseWithRetry(options, toolSpecs);
    messages.push({ role: "assistant", content: turn.content });
    if (turn.stopReason !== "tool_use" || turn.toolUses.length === 0) return turn.stopReason;
    if (iteration === options.maxIterations) break;
    const results = await Promise.all(turn.toolUses.map((use) => runTool(use, tools, emit, signal)));
    messages.push({ role: "user", content: results.map((toolResult) => ({ toolResult })) });
  }
  // The last assistant turn asked for tools we will not run: answer them so the history stays valid.
  const last = messages.at(-1);
  const pending = (last?.content ?? []).flatMap((block) => (block.toolUse ? [block.toolUse] : []));
  if (pending.length > 0) {
    messages.push({
      role: "user",
      content: pending.map((use) => ({
        toolResult: {
          toolUseId: use.toolUseId,
          status: "error",
          content: [{ text: "not run: iteration limit reached" }],
        },
      })),
    });
  }
  emit({ type: "notice", message: `stopped after ${options.maxIterations} model calls (iteration limit)` });
  return "max_iterations";
}

interface ToolUse {
  toolUseId: string;
  name: string;
  inputText: string;
  input: Record<string, unknown> | null;
}

interface Turn {
  content: ContentBlock[];
  toolUses: ToolUse[];
  stopReason: string;
}

async function converseWithRetry(options: AgentOptions, toolSpecs: Tool[]): Promise<Turn> {
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 500;
  for (let attempt = 0; ; attempt++) {
    const streamed = { any: false };
    try {
      return await converseOnce(options, toolSpecs, streamed);
    } catch (error) {
      const name = (error as { name?: string }).name ?? "";
      if (options.signal.aborted) throw error;
      if (!RETRYABLE.has(name) || streamed.any || attempt >= retries) throw error;
      const delay = base * 2 ** attempt * (0.75 + Math.random() * 0.5);
      options.emit({ type: "notice", message: `${name}: retrying in ${(delay / 1000).toFixed(1)} s` });
      await sleep(delay, options.signal);
    }
  }
}

async function converseOnce(
  options: AgentOptions,
  toolSpecs: Tool[],
  streamed: { any: boolean },
): Promise<Turn> {
  const { client, modelId, system, messages, signal, emit } = options;
  const response = await client.send(
    new ConverseStreamCommand({
      modelId,
      system: [{ text: system }],
      messages,
      toolConfig: toolSpecs.length > 0 ? { tools: toolSpecs } : undefined,
      inferenceConfig: { maxTokens: 2048 },
    }),
    { abortSignal: signal },
  );
  const blocks = new Map<number, { text?: string; toolUse?: ToolUse }>();
  let stopReason = "end_turn";
  for await (const event of response.stream ?? []) {
    if (event.contentBlockStart?.start?.toolUse) {
      const { toolUseId = "", name = "" } = event.contentBlockStart.start.toolUse;
      blocks.set(event.contentBlockStart.contentBlockIndex ?? 0, {
        toolUse: { toolUseId, name, inputText: "", input: null },
      });
    } else if (event.contentBlockDelta?.delta) {
      const index = event.contentBlockDelta.contentBlockIndex ?? 0;
      const { delta } = event.contentBlockDelta;
      const block = blocks.get(index) ?? {};
      blocks.set(index, block);
      if (delta.text !== undefined) {
        block.text = (block.text ?? "") + delta.text;
        streamed.any = true;
        emit({ type: "text", text: delta.text });
      } else if (delta.toolUse?.input !== undefined && block.toolUse) {
        block.toolUse.inputText += delta.toolUse.input;
      }
    } else if (event.messageStop) {
      stopReason = event.messageStop.stopReason ?? "end_turn";
    }
  }
  const content: ContentBlock[] = [];
  const toolUses: ToolUse[] = [];
  for (const [, block] of [...blocks.entries()].sort((a, b) => a[0] - b[0])) {
    if (block.text) content.push({ text: block.text });
    if (block.toolUse) {
      block.toolUse.input = parseInput(block.toolUse.inputText);
      toolUses.push(block.toolUse);
      content.push({
        toolUse: {
          toolUseId: block.toolUse.toolUseId,
          name: block.toolUse.name,
          input: (block.toolUse.input ?? {}) as never,
        },
      });
    }
  }
  if (content.length === 0) content.push({ text: "(no answer)" });
  return { content, toolUses, stopReason };
}

function parseInput(text: string): Record<string, unknown> | null {
  if (text.trim() === "") return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

async function runTool(
  use: ToolUse,
  tools: ToolHost,
  emit: (event: AgentEvent) => void,
  signal: AbortSignal,
): Promise<ToolResultBlock> {
  emit({ type: "tool_start", id: use.toolUseId, name: use.name, input: use.input ?? use.inputText });
  if (use.input === null) {
    const message = `the input for ${use.name} was not a JSON object: ${use.inputText.slice(0, 200)}; call it again with valid JSON arguments`;
    emit({ type: "tool_end", id: use.toolUseId, name: use.name, ok: false, summary: "malformed input" });
    return { toolUseId: use.toolUseId, status: "error", content: [{ text: message }] };
  }
  signal.throwIfAborted();
  try {
    const result = await tools.callTool(use.name, use.input);
    emit({
      type: "tool_end",
      id: use.toolUseId,
      name: use.name,
      ok: result.ok,
      summary: result.text.slice(0, 160),
    });
    return {
      toolUseId: use.toolUseId,
      status: result.ok ? "success" : "error",
      content: [{ text: untrustedToolResult(use.name, result.content) }],
    };
  } catch (error) {
    const message = (error as Error).message;
    emit({ type: "tool_end", id: use.toolUseId, name: use.name, ok: false, summary: message.slice(0, 160) });
    return {
      toolUseId: use.toolUseId,
      status: "error",
      content: [{ text: `tool ${use.name} failed: ${message}` }],
    };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
