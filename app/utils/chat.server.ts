import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { BedrockRuntimeClient, type Message } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { runAgent, type ToolHost } from "./agent.server.ts";
import type { AgentEvent } from "./agent-events.ts";
import { SYSTEM_PROMPT } from "./agent-prompt.server.ts";
import { bedrockRegion, env } from "./env.server.ts";
import { callToolRaw, listTools } from "./mcp.server.ts";
import { answerOffline } from "./offline-assistant.server.ts";

/** Conversation memory: the Bedrock message history per conversation, bounded in count and length. */
const conversations = new Map<string, Message[]>();
const MAX_CONVERSATIONS = 200;
const MAX_MESSAGES = 40;

function history(id: string): Message[] {
  let messages = conversations.get(id);
  if (!messages) {
    messages = [];
    conversations.set(id, messages);
    if (conversations.size > MAX_CONVERSATIONS) {
      const oldest = conversations.keys().next().value;
      if (oldest !== undefined) conversations.delete(oldest);
    }
  }
  return messages;
}

/** Drops the oldest whole exchanges (starting at a user text turn) so tool-use/result pairs stay intact. */
function trim(messages: Message[]): void {
  while (messages.length > MAX_MESSAGES) {
    const next = messages.findIndex(
      (m, i) => i > 0 && m.role === "user" && m.content?.some((b) => b.text !== undefined),
    );
    if (next <= 0) break;
    messages.splice(0, next);
  }
}

/**
 * Bedrock when credentials are evidently configured (env keys, a profile, container or web-identity
 * credentials, a shared credentials file); never probes the instance metadata endpoint to find out.
 */
export function chatMode(): "bedrock" | "offline" {
  if (env.TRAILCAST_CHAT !== "auto") return env.TRAILCAST_CHAT;
  const e = process.env;
  const configured =
    (e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY) ||
    e.AWS_PROFILE ||
    e.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    e.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    e.AWS_WEB_IDENTITY_TOKEN_FILE ||
    existsSync(join(homedir(), ".aws", "credentials"));
  return configured ? "bedrock" : "offline";
}

let bedrock: BedrockRuntimeClient | null = null;
function bedrockClient(): BedrockRuntimeClient {
  bedrock ??= new BedrockRuntimeClient({
    region: bedrockRegion(),
    // Retries are the agent loop's (it reports them); the SDK's own would hide throttling.
    maxAttempts: 1,
    ...(env.BEDROCK_ENDPOINT
      ? { endpoint: env.BEDROCK_ENDPOINT, requestHandler: new NodeHttpHandler() }
      : {}),
  });
  return bedrock;
}

export const mcpToolHost: ToolHost = {
  listTools,
  callTool: (name, args) => callToolRaw(name, args),
};

/** Answers one user message, streaming AgentEvents; resolves when the answer is complete or stopped. */
export async function answer(
  conversationId: string,
  message: string,
  signal: AbortSignal,
  emit: (e: AgentEvent) => void,
) {
  const mode = chatMode();
  emit({ type: "mode", mode, ...(mode === "bedrock" ? { model: env.BEDROCK_MODEL_ID } : {}) });
  if (mode === "offline") {
    await answerOffline(message, {
      call: (name, args, callSignal) => callToolRaw(name, args, { signal: callSignal }),
      emit,
      signal,
    });
    emit({ type: "done", stopReason: "end_turn" });
    return;
  }
  const messages = history(conversationId);
  const checkpoint = messages.length;
  messages.push({ role: "user", content: [{ text: message }] });
  try {
    const stopReason = await runAgent({
      client: bedrockClient(),
      modelId: env.BEDROCK_MODEL_ID,
      system: SYSTEM_PROMPT,
      tools: mcpToolHost,
      messages,
      maxIterations: env.AGENT_MAX_ITERATIONS,
      signal,
      emit,
    });
    trim(messages);
    emit({ type: "done", stopReason });
  } catch (error) {
    // A failed or stopped turn leaves no half exchange behind in the memory.
    messages.length = checkpoint;
    if (signal.aborted) emit({ type: "done", stopReason: "stopped" });
    else emit({ type: "error", message: describeError(error) });
  }
}

function describeError(error: unknown): string {
  const name = (error as { name?: string }).name ?? "Error";
  const message = (error as Error).message ?? String(error);
  if (name === "AccessDeniedException")
    return `Bedrock refused access to ${env.BEDROCK_MODEL_ID}: ${message}`;
  if (name === "CredentialsProviderError") return `no AWS credentials for Bedrock: ${message}`;
  return `${name}: ${message}`;
}
