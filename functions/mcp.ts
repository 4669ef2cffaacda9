// PLACEHOLDER: replaced by the MCP server (issue 4)
// Lets the infrastructure deploy before the real handler exists: every request gets a 503 JSON answer.
import type { LambdaFunctionURLEvent } from "aws-lambda";

export const handler = awslambda.streamifyResponse(async (_event: LambdaFunctionURLEvent, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 503,
    headers: { "content-type": "application/json", "retry-after": "300" },
  });
  stream.end(JSON.stringify({ error: "Trailcast MCP server not deployed yet (placeholder handler)" }));
});
