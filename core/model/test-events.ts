import { apiCallEvent } from "../event/api-call.ts";
import type { Principal, TrailEvent } from "../event/types.ts";

/** Small hand-made events for tests: only the fields the model reads are meaningful. */
export function principalFor(name: string, role?: string): Principal {
  return role
    ? {
        key: `arn:aws:iam::111122223333:role/${role}#${name}`,
        name: `${role}/${name}`,
        type: "AssumedRole",
        accountId: "111122223333",
        roleArn: `arn:aws:iam::111122223333:role/${role}`,
        sessionName: name,
      }
    : {
        key: `arn:aws:iam::111122223333:user/${name}`,
        name,
        type: "IAMUser",
        accountId: "111122223333",
        roleArn: null,
        sessionName: null,
      };
}

let serial = 0;

export function eventOf(
  principal: Principal,
  action: string,
  time: number,
  extra: Partial<TrailEvent> = {},
): TrailEvent {
  serial += 1;
  return apiCallEvent(principal, action, time, {
    eventId: `test-${serial}`,
    region: "us-east-1",
    sourceIp: "10.0.0.1",
    userAgent: "aws-cli/2.15.0",
    readOnly: /^(Get|List|Describe)/.test(action.split(":")[1] ?? ""),
    recipientAccountId: "111122223333",
    raw: "{}",
    ...extra,
  });
}

/** A principal repeating a workflow every `gapMs`, `times` times, starting at `start`. */
export function routine(
  principal: Principal,
  actions: string[],
  start: number,
  times: number,
  gapMs: number,
): TrailEvent[] {
  const events: TrailEvent[] = [];
  for (let t = 0; t < times; t++) {
    actions.forEach((action, i) => {
      events.push(eventOf(principal, action, start + t * gapMs + i * 1000));
    });
  }
  return events;
}
