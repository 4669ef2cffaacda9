/** Liveness for the load balancer and `docker run`: answers without touching MCP, Bedrock or the store. */
export function loader() {
  return new Response("ok\n", {
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
