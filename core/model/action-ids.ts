import type { TrailEvent } from "../event/types.ts";
import type { Interner } from "./intern.ts";

/**
 * Action ids for events, interned in `actions` by the event's `action`: parsed and stored events share one
 * flat string per distinct action (core/event shared strings), whose hash V8 computes once, so this is one
 * map lookup per event (it was two, by eventName then eventSource, before actions were shared). The last
 * event's id is remembered because the observe path asks for it several times.
 */
export class ActionIds {
  private lastEvent: TrailEvent | null = null;
  private lastId = -1;

  constructor(private readonly actions: Interner) {}

  idOf(event: TrailEvent): number {
    if (event === this.lastEvent) return this.lastId;
    const id = this.actions.intern(event.action);
    this.lastEvent = event;
    this.lastId = id;
    return id;
  }
}
