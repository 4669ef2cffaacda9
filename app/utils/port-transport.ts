import type { MessagePort } from "node:worker_threads";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";

/**
 * An MCP transport over a worker-thread MessagePort: each JSON-RPC message is one postMessage (structured
 * clone, so no JSON text in between). Both ends use it: the web app's client on the main thread and the
 * MCP server in the data worker, each holding one end of a MessageChannel.
 */
export class PortTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private closed = false;
  /** Requests sent and not answered yet (tracked when the port holds the process only while they are). */
  private readonly pending = new Set<string | number>();

  constructor(
    private readonly port: MessagePort,
    private readonly options: {
      /**
       * `always` (default): an open port keeps the process alive. `while-requests-pending`: only while a
       * request sent from this end waits for its answer (the web server's end: an idle data worker must not
       * keep a finished process running).
       */
      holdProcess?: "always" | "while-requests-pending";
      /**
       * Whether the other end closing its port ends the connection (default). The web server's end leaves
       * that to the worker's exit, which knows why (fail) and always follows.
       */
      closeWithPort?: boolean;
    } = {},
  ) {}

  async start(): Promise<void> {
    this.port.on("message", (data: unknown) => {
      const parsed = JSONRPCMessageSchema.safeParse(data);
      if (!parsed.success) {
        this.onerror?.(new Error(`not a JSON-RPC message: ${JSON.stringify(data)?.slice(0, 200)}`));
        return;
      }
      const message = parsed.data;
      if (!("method" in message) && "id" in message) this.settled(message.id);
      this.onmessage?.(message);
    });
    this.port.on("messageerror", (error: Error) => this.onerror?.(error));
    // The other end closed its port (or its thread ended).
    if (this.options.closeWithPort !== false) this.port.once("close", () => this.finish());
    if (this.options.holdProcess === "while-requests-pending") this.port.unref();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error("the MCP port is closed");
    if (this.options.holdProcess === "while-requests-pending" && "method" in message) {
      if ("id" in message) {
        if (this.pending.size === 0) this.port.ref();
        this.pending.add(message.id);
      } else if (message.method === "notifications/cancelled") {
        // A request given up on (timeout, abort) gets no answer.
        const id = (message.params as { requestId?: string | number } | undefined)?.requestId;
        this.settled(id);
      }
    }
    this.port.postMessage(message);
  }

  private settled(id: string | number | undefined): void {
    if (id === undefined || !this.pending.delete(id)) return;
    if (this.pending.size === 0) this.port.unref();
  }

  async close(): Promise<void> {
    this.port.close();
    this.finish();
  }

  /** Ends the connection with a reason (the worker behind it died): callers see `error`, then the close. */
  fail(error: Error): void {
    if (this.closed) return;
    this.onerror?.(error);
    this.port.close();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
