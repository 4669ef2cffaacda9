import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResponse } from "../utils/export.server.ts";

/** The filtered events (same query string as the timeline) as JSON Lines. */
export function loader({ request }: LoaderFunctionArgs) {
  return exportResponse(request, "jsonl");
}
