import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { invariantResponse } from "../components/error-boundary.tsx";
import { sseFrame } from "../utils/agent-events.ts";
import { answer } from "../utils/chat.server.ts";

const bodySchema = z.object({
  conversationId: z.string().min(8).max(100),
  message: z.string().trim().min(1).max(4000),
});

/** POST {conversationId, message} → text/event-stream of AgentEvents; closing the request stops the agent. */
export async function action({ request }: ActionFunctionArgs) {
  invariantResponse(request.method === "POST", "POST a JSON body", 405);
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  invariantResponse(parsed.success, "expected {conversationId, message}");
  const { conversationId, message } = parsed.data;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const emit = (event: Parameters<typeof sseFrame>[0]) => {
        if (request.signal.aborted) return;
        try {
          controller.enqueue(encoder.encode(sseFrame(event)));
        } catch {
          // The browser went away; the abort signal stops the agent.
        }
      };
      try {
        await answer(conversationId, message, request.signal, emit);
      } finally {
        try {
          controller.close();
        } catch {
          // already closed by a cancelled request
        }
      }
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform keeps remix-serve's compression from buffering the stream.
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
