import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

/** The one error boundary every route uses: expected 4xx responses get their message, anything else a generic one. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let detail = "The server could not answer this request. Try again, or go back to the timeline.";
  if (isRouteErrorResponse(error)) {
    title = `${error.status} ${error.statusText}`;
    detail = typeof error.data === "string" ? error.data : detail;
  } else if (error instanceof Error && import.meta.env.DEV) {
    detail = error.message;
  }
  return (
    <div
      role="alert"
      className="m-8 rounded border border-red-300 bg-red-50 p-6 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-2 text-sm">{detail}</p>
      <a href="/" className="mt-4 inline-block text-sm underline">
        Back to the timeline
      </a>
    </div>
  );
}

/** Throws a Response (4xx) when a condition does not hold, for expected failures in loaders and actions. */
export function invariantResponse(condition: unknown, message: string, status = 400): asserts condition {
  if (!condition)
    throw new Response(message, { status, statusText: status === 404 ? "Not Found" : "Bad Request" });
}
