import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResponse } from "../utils/export.server.ts";

/** The filtered events (same query string as the timeline) as CSV, safe against formula injection. */
export function loader({ request }: LoaderFunctionArgs) {
  return exportResponse(request, "csv");
}
