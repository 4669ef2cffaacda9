import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { invariantResponse } from "../components/error-boundary.tsx";
import { eventDetail } from "../utils/trail-data.server.ts";

/** The drawer's data: explain_event (raw record, reasons, neighbours) for one eventID. */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  invariantResponse(id.length > 0 && id.length <= 200, "an eventID is required");
  return json({ detail: await eventDetail(id) });
}
