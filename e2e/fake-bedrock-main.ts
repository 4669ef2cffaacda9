/**
 * The fake Bedrock the e2e servers talk to. Its "model" looks things up once (lookup_events for the planted
 * principal), then answers citing the first eventID it finds in the tool result.
 */
import { EVENT_ID_PATTERN } from "../app/utils/agent-events.ts";
import { lastToolResults, startFakeBedrock } from "./fake-bedrock.ts";
import { PLANTED_USER } from "./planted.ts";

const port = Number(process.argv[2]);
await startFakeBedrock(
  (body) => {
    const results = lastToolResults(body);
    if (results.length === 0) {
      return {
        blocks: [
          { text: "Let me look up recent activity. " },
          {
            toolUse: {
              toolUseId: `tool-${body.messages.length}`,
              name: "lookup_events",
              inputJson: JSON.stringify({ principal: PLANTED_USER, start: "7 days ago", limit: 5 }),
            },
          },
        ],
        stopReason: "tool_use",
      };
    }
    const ids = [...results.join("\n").matchAll(EVENT_ID_PATTERN)].map((m) => m[0]);
    return {
      blocks: [
        {
          text: `${PLANTED_USER} made ${ids.length} call(s) in that window; the first is event ${ids[0] ?? "(none)"}.`,
          chunks: 6,
        },
      ],
      stopReason: "end_turn",
    };
  },
  { port, frameDelayMs: 20 },
);
process.stderr.write(`fake bedrock on 127.0.0.1:${port}\n`);
