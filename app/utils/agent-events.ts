/** What the chat resource route streams to the browser, one JSON object per `data:` line (text/event-stream). */
export type AgentEvent =
  | { type: "mode"; mode: "bedrock" | "offline"; model?: string }
  | { type: "text"; text: string }
  | { type: "tool_start"; id: string; name: string; input: unknown }
  | { type: "tool_end"; id: string; name: string; ok: boolean; summary: string }
  | { type: "notice"; message: string }
  | { type: "error"; message: string }
  | { type: "done"; stopReason: string };

/** Parses one SSE chunk stream incrementally: feed text, get complete events. */
export class SseParser {
  private buffer = "";

  push(chunk: string): AgentEvent[] {
    this.buffer += chunk;
    const events: AgentEvent[] = [];
    let end = this.buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (data) {
        try {
          events.push(JSON.parse(data) as AgentEvent);
        } catch {
          // A frame we cannot read is dropped; the stream goes on.
        }
      }
      end = this.buffer.indexOf("\n\n");
    }
    return events;
  }
}

export function sseFrame(event: AgentEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

/** CloudTrail eventIDs are UUIDs; answers cite them and the chat turns each into a timeline link. */
export const EVENT_ID_PATTERN = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
