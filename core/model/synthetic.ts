import { apiCallEvent } from "../event/api-call.ts";
import type { Principal, TrailEvent } from "../event/types.ts";

/**
 * Seeded synthetic CloudTrail-like events for benchmarks and property tests: principals in roles and
 * user clusters, each group running a handful of workflows (action sequences) during working hours,
 * with noise. Not a stand-in for real data, only for speed and invariants.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ["s3", "ec2", "iam", "sts", "lambda", "kms", "ssm", "logs", "dynamodb", "rds", "sqs", "sns"];
const VERBS = ["Get", "List", "Describe", "Put", "Create", "Delete", "Update", "Tag"];
const NOUNS = [
  "Object",
  "Bucket",
  "Instances",
  "Role",
  "Policy",
  "Function",
  "Key",
  "Parameter",
  "Item",
  "Queue",
];

export interface SyntheticOptions {
  events: number;
  seed?: number;
  principals?: number;
  groups?: number;
  startMs?: number;
}

export function syntheticEvents(options: SyntheticOptions): TrailEvent[] {
  const random = mulberry32(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const actions: string[] = [];
  for (const s of SERVICES) for (const v of VERBS) for (const n of NOUNS) actions.push(`${s}:${v}${n}`);
  const groups = options.groups ?? 12;
  const workflows = Array.from({ length: groups }, () =>
    Array.from({ length: 6 }, () =>
      Array.from({ length: 3 + Math.floor(random() * 8) }, () => pick(actions)),
    ),
  );
  const principals: Array<{ principal: Principal; group: number; ip: string; agent: string }> = [];
  for (let i = 0; i < (options.principals ?? 200); i++) {
    const group = i % groups;
    const role = group % 2 === 0;
    const roleArn = `arn:aws:iam::111122223333:role/group-${group}`;
    principals.push({
      group,
      ip: `10.${group}.${Math.floor(random() * 4)}.${1 + Math.floor(random() * 250)}`,
      agent: pick(["aws-cli/2.15.0 Python/3.11", "Boto3/1.34.0 Botocore/1.34.0", "console.amazonaws.com"]),
      principal: role
        ? {
            key: `${roleArn}#worker-${i}`,
            name: `group-${group}/worker-${i}`,
            type: "AssumedRole",
            accountId: "111122223333",
            roleArn,
            sessionName: `worker-${i}`,
          }
        : {
            key: `arn:aws:iam::111122223333:user/user-${i}`,
            name: `user-${i}`,
            type: "IAMUser",
            accountId: "111122223333",
            roleArn: null,
            sessionName: null,
          },
    });
  }
  const events: TrailEvent[] = [];
  let time = options.startMs ?? Date.UTC(2024, 0, 1, 8);
  let serial = 0;
  while (events.length < options.events) {
    const who = pick(principals);
    const flow = pick(workflows[who.group] as string[][]);
    time += Math.floor(random() * 120_000);
    const hour = new Date(time).getUTCHours();
    if (hour >= 18) time += (14 + Math.floor(random() * 2)) * 3_600_000; // nights off, mostly
    let t = time;
    for (const planned of flow) {
      if (events.length >= options.events) break;
      // Now and then an off-script call, mostly from the group's own repertoire, rarely anything at all.
      const roll = random();
      const action =
        roll < 0.005 ? pick(actions) : roll < 0.03 ? pick(pick(workflows[who.group] as string[][])) : planned;
      t += 500 + Math.floor(random() * 4000);
      const name = action.split(":")[1] ?? "";
      const denied = random() < 0.01;
      events.push(
        apiCallEvent(who.principal, action, t, {
          eventId: `synthetic-${options.seed ?? 1}-${serial++}`,
          region: "us-east-1",
          sourceIp: who.ip,
          userAgent: who.agent,
          readOnly: /^(Get|List|Describe)/.test(name),
          errorCode: denied ? "AccessDenied" : null,
          recipientAccountId: "111122223333",
          raw: "{}",
        }),
      );
    }
  }
  return events;
}
