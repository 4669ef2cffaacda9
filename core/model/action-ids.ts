import type { TrailEvent } from "../event/types.ts";
import type { Interner } from "./intern.ts";

/**
 * Action ids for events, interned in `actions`. Looked up by (eventName, eventSource), the flat strings
 * the parser produced, rather than by `action`, a concatenation V8 would flatten and hash on every event;
 * and the last event's id is remembered because the observe path asks for it several times.
 */
export class ActionIds {
  private readonly cache = new Map<string, Map<string, number>>();
  private lastEvent: TrailEvent | null = null;
  private lastId = -1;

  constructor(private readonly actions: Interner) {}

  idOf(event: TrailEvent): number {
    if (event === this.lastEvent) return this.lastId;
    let bySource = this.cache.get(event.eventName);
    if (!bySource) {
      bySource = new Map();
      this.cache.set(event.eventName, bySource);
    }
    let id = bySource.get(event.eventSource);
    if (id === undefined) {
      id = this.actions.intern(event.action);
      bySource.set(event.eventSource, id);
    }
    this.lastEvent = event;
    this.lastId = id;
    return id;
  }
}
