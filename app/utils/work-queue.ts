/**
 * How urgent queued work is: `interactive` (the timeline view someone is looking at), `normal` (page loaders,
 * the assistant), `background` (prefetches, the future lane, warm-up).
 */
export type Priority = "interactive" | "normal" | "background";

const RANK: Record<Priority, number> = { interactive: 0, normal: 1, background: 2 };

/** A caller's handle on queued work: the queue reads it when choosing what runs next. */
export class Ticket {
  started = false;
  /** performance.now() when it started (how long it waited is worth reporting). */
  startedAt = 0;
  /** Order of arrival (or of the last raise): newer interactive work goes first. */
  seq = 0;
  constructor(public priority: Priority = "normal") {}
}

export class AbortedError extends Error {
  override readonly name = "AbortError";
}

interface Job {
  ticket: Ticket;
  run: () => void;
}

/**
 * Runs async work at most `concurrency` at a time, most urgent first. The local store answers one query at a
 * time anyway, so holding work here (rather than in the store's own FIFO) lets a new view overtake a prefetch
 * and lets work nobody waits for any more (its signal aborted) be dropped before it costs a query. Within
 * `interactive` the newest goes first (during a pan, older views are about to be superseded); otherwise FIFO.
 * Work that has started always runs to completion: the store cannot be interrupted from here.
 */
export class WorkQueue {
  private running = 0;
  private counter = 0;
  private readonly waiting: Job[] = [];

  constructor(private readonly concurrency: number) {}

  /** Jobs waiting to start. */
  get pending(): number {
    return this.waiting.length;
  }

  run<T>(
    work: () => Promise<T>,
    options: { priority?: Priority; ticket?: Ticket; signal?: AbortSignal } = {},
  ): Promise<T> {
    const { signal } = options;
    const ticket = options.ticket ?? new Ticket(options.priority);
    if (signal?.aborted) return Promise.reject(new AbortedError("aborted before it started"));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(job);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        reject(new AbortedError("aborted before it started"));
      };
      const job: Job = {
        ticket,
        run: () => {
          signal?.removeEventListener("abort", onAbort);
          ticket.started = true;
          ticket.startedAt = performance.now();
          this.running++;
          Promise.resolve()
            .then(work)
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              this.pump();
            });
        },
      };
      ticket.seq = ++this.counter;
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(job);
      this.pump();
    });
  }

  /** Makes waiting work more urgent (a view now needs what was prefetched). */
  raise(ticket: Ticket, priority: Priority): void {
    if (ticket.started || RANK[priority] >= RANK[ticket.priority]) return;
    ticket.priority = priority;
    ticket.seq = ++this.counter;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < this.waiting.length; i++) {
        if (before((this.waiting[i] as Job).ticket, (this.waiting[best] as Job).ticket)) best = i;
      }
      const [job] = this.waiting.splice(best, 1);
      job?.run();
    }
  }
}

function before(a: Ticket, b: Ticket): boolean {
  const ra = RANK[a.priority];
  const rb = RANK[b.priority];
  if (ra !== rb) return ra < rb;
  return a.priority === "interactive" ? a.seq > b.seq : a.seq < b.seq;
}
