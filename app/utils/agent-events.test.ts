import { describe, expect, it } from "vitest";
import { SseParser, sseFrame } from "./agent-events.ts";

describe("server-sent agent events", () => {
  it("parses frames split at any byte", () => {
    const text =
      sseFrame({ type: "text", text: "a\n\nb" }) + sseFrame({ type: "done", stopReason: "end_turn" });
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(events).toEqual([
        { type: "text", text: "a\n\nb" },
        { type: "done", stopReason: "end_turn" },
      ]);
    }
  });
});
