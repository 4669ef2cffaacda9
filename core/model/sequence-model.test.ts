import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { topActions } from "./distribution.ts";
import { fitModel } from "./fit.ts";
import { SequenceModel } from "./sequence-model.ts";
import { KINDS, ROW, scalarProbability } from "./smoothing.ts";
import { syntheticEvents } from "./synthetic.ts";
import { eventOf, principalFor, routine } from "./test-events.ts";

const START = Date.UTC(2024, 0, 1, 9);
const actionsArb = fc.array(
  fc.constantFrom(
    "s3:GetObject",
    "s3:PutObject",
    "iam:ListUsers",
    "ec2:RunInstances",
    "sts:GetCallerIdentity",
  ),
  {
    minLength: 1,
    maxLength: 60,
  },
);

describe("SequenceModel", () => {
  it("gives valid, sorted distributions that account for every unit of mass", () => {
    fc.assert(
      fc.property(actionsArb, fc.integer({ min: 1, max: 12 }), (actions, k) => {
        const model = new SequenceModel();
        const who = principalFor("alice");
        actions.forEach((a, i) => {
          model.observe(eventOf(who, a, START + i * 5000));
        });
        const dist = model.distribution({ principal: who, time: START + actions.length * 5000 });
        let sum = dist.unseenMass;
        for (const p of dist.probs) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
          sum += p;
        }
        expect(sum).toBeLessThanOrEqual(1 + 1e-9);
        expect(sum).toBeGreaterThan(1 - 1e-9);
        const top = topActions(dist, k);
        for (let i = 1; i < top.length; i++) expect(top[i - 1]?.p).toBeGreaterThanOrEqual(top[i]?.p ?? 0);
      }),
      { numRuns: 60 },
    );
  });

  it("computes the same probability densely (predictions) and from node statistics (fitting)", () => {
    const events = syntheticEvents({ events: 3000, seed: 3, principals: 12 });
    const model = new SequenceModel();
    for (const e of events.slice(0, 2500)) model.observe(e);
    // Non-default repeat components, so that they are compared too.
    model.params.copy[0] = 0.2;
    model.params.hazard.set([0.5, 2, 4, 8, 0.7]);
    const stats = new Float64Array(ROW);
    for (const e of events.slice(2500, 2600)) {
      const query = { principal: e.principal, time: e.time, sessionKey: e.sessionKey };
      const id = model.actions.idOf(e.action);
      model.nodeStats(query, id, stats, 0);
      const dense = model.rawDistribution(query).probs[id] as number;
      expect(scalarProbability(model.params, stats, 0)).toBeCloseTo(dense, 12);
      model.observe(e);
    }
  });

  it("predicts the same whether or not it predicted on the way (the everyone/no-context vector is reused)", () => {
    // One principal (every level but its own uninformative, so a prediction can be the reused vector
    // itself, which the copy component changes in place) or several; predictions before some events,
    // then each answer compared with a model that never predicted, also after the parameters change.
    const arbitrary = fc.record({
      principals: fc.constantFrom(1, 4),
      seed: fc.integer({ min: 1, max: 1000 }),
      copy: fc.constantFrom(0, 0.25),
      asks: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ principals, seed, copy, asks }) => {
        const events = syntheticEvents({ events: 41, seed, principals });
        const queryOf = (e: (typeof events)[number]) => ({
          principal: e.principal,
          time: e.time,
          sessionKey: e.sessionKey,
        });
        const modelOf = (changed: boolean) => {
          const model = new SequenceModel();
          model.params.copy[0] = copy;
          if (changed) model.params.discount[KINDS - 1] = 0.3;
          return model;
        };
        const asking = modelOf(false);
        events.slice(0, 40).forEach((e, i) => {
          if (asks[i]) {
            asking.probability(queryOf(e), asking.actions.idOf(e.action));
            asking.rawDistribution(queryOf(e));
          }
          asking.observe(e);
        });
        const fresh = (changed: boolean) => {
          const model = modelOf(changed);
          for (const e of events.slice(0, 40)) model.observe(e);
          return model;
        };
        const next = events[40] as (typeof events)[number];
        const id = asking.actions.idOf(next.action);
        for (const changed of [false, true]) {
          if (changed) asking.params.discount[KINDS - 1] = 0.3;
          expect(asking.probability(queryOf(next), id)).toBe(fresh(changed).probability(queryOf(next), id));
          expect(Array.from(asking.rawDistribution(queryOf(next)).probs)).toEqual(
            Array.from(fresh(changed).rawDistribution(queryOf(next)).probs),
          );
        }
      }),
      { numRuns: 60 },
    );
  });

  it("inside a run, the run hazard says how likely it goes on, from how the principal's runs of that call ended", () => {
    const model = new SequenceModel();
    const who = principalFor("poller");
    let t = START;
    const call = (action: string) => {
      model.observe(eventOf(who, action, t));
      t += 2000;
    };
    // Three polling loops of 30 calls, each ended by the same follow-up call.
    for (let loop = 0; loop < 3; loop++) {
      call("ssm:SendCommand");
      for (let i = 0; i < 30; i++) call("ssm:DescribeInstanceInformation");
      call("ssm:GetCommandInvocation");
    }
    call("ssm:SendCommand");
    for (let i = 0; i < 20; i++) call("ssm:DescribeInstanceInformation");
    const query = { principal: who, time: t };
    const dist = model.rawDistribution(query);
    const poll = model.actions.idOf("ssm:DescribeInstanceInformation");
    const next = model.actions.idOf("ssm:GetCommandInvocation");
    // 3 ends in 3 × 29 + 19 opportunities so far: about 0.97 (the n-gram alone said 0.999+), and when the
    // loop ends, the call that ended the earlier loops is the best guess for what follows.
    expect(dist.probs[poll]).toBeGreaterThan(0.9);
    expect(dist.probs[poll]).toBeLessThan(0.99);
    const others = [...dist.probs].map((p, id) => (id === poll ? 0 : p));
    expect(Math.max(...others)).toBe(dist.probs[next]);
    const sum = dist.probs.reduce((a, b) => a + b, 0) + dist.unseenMass;
    expect(sum).toBeCloseTo(1, 12);
    // The statistics-based probability (fitting) agrees inside a run, for the run's call and any other.
    const stats = new Float64Array(ROW);
    for (const id of [poll, next, model.actions.idOf("ssm:SendCommand")]) {
      model.nodeStats(query, id, stats, 0);
      expect(scalarProbability(model.params, stats, 0)).toBeCloseTo(dist.probs[id] as number, 12);
    }
  });

  it("keeps Kneser-Ney continuation counts in the no-context node: a burst counts once per previous action", () => {
    const model = new SequenceModel();
    const who = principalFor("alice");
    const actions = ["iam:ListUsers", ...Array<string>(20).fill("s3:GetObject")];
    actions.forEach((a, i) => {
      model.observe(eventOf(who, a, START + i * 5000));
    });
    const query = { principal: who, time: START + actions.length * 5000 };
    const stats = new Float64Array(ROW);
    model.nodeStats(query, model.actions.idOf("s3:GetObject"), stats, 0);
    const noContext = 4 * 3; // principal level, position 4
    const oneAction = 3 * 3; // principal level, position 3 (here: after s3:GetObject)
    // s3:GetObject followed two distinct contexts (iam:ListUsers, itself), however often it was called.
    expect([stats[noContext], stats[noContext + 1], stats[noContext + 2]]).toEqual([2, 3, 2]);
    // Contexts keep raw counts: s3:GetObject followed itself 19 times.
    expect([stats[oneAction], stats[oneAction + 1], stats[oneAction + 2]]).toEqual([19, 19, 1]);
  });

  it("predicts a brand-new principal from its role's peers", () => {
    const routineEvents = ["dynamodb:Query", "dynamodb:PutItem", "sqs:DeleteMessage"];
    const train = [
      ...routine(principalFor("worker-1", "ingest"), routineEvents, START, 30, 3_600_000),
      ...routine(principalFor("bob"), ["ec2:DescribeInstances", "ec2:StopInstances"], START, 60, 1_800_000),
    ];
    const model = fitModel(train);
    const newcomer = principalFor("worker-2", "ingest");
    const first = model.predictNext(newcomer, 3, [], START + 40 * 3_600_000);
    expect(first[0]?.action).toBe("dynamodb:Query");
    const second = model.predictNext(newcomer, 1, [
      eventOf(newcomer, "dynamodb:Query", START + 40 * 3_600_000),
    ]);
    expect(second[0]?.action).toBe("dynamodb:PutItem");
  });

  it("keeps the context of a backfilled (older) stream instead of dropping it", () => {
    const who = principalFor("carol");
    const model = new SequenceModel();
    for (const e of routine(who, ["s3:ListBuckets", "s3:GetObject"], START + 86_400_000, 20, 60_000))
      model.observe(e);
    // An older session arrives afterwards: its second event still sees the first as context.
    model.observe(eventOf(who, "s3:ListBuckets", START));
    const dist = model.distribution({ principal: who, time: START + 1000 });
    expect(model.actions.nameOf(topActions(dist, 1)[0]?.id ?? -1)).toBe("s3:GetObject");
  });

  it("keeps the action context across a credential change within a session", () => {
    // Every call under fresh temporary credentials (a tool that assumes a role per call): A is always
    // followed by B and C by D. Were a new credential a new session, every call would look like a start.
    const model = new SequenceModel();
    const who = principalFor("deployer", "arn:aws:iam::111122223333:role/deployer");
    let key = 0;
    let time = START;
    const call = (action: string) => {
      key += 1;
      time += 2000;
      model.observe(eventOf(who, action, time, { sessionKey: `ASIA${key}` }));
    };
    for (let i = 0; i < 10; i++)
      for (const action of ["ec2:DescribeA", "ec2:DescribeB", "s3:GetC", "s3:GetD"]) call(action);
    call("ec2:DescribeA");
    const [top] = topActions(
      model.distribution({ principal: who, time: time + 2000, sessionKey: "ASIA-next" }),
      1,
    );
    expect(model.actions.nameOf(top?.id ?? -1)).toBe("ec2:DescribeB");
  });

  it("answers from a model fitted on nothing: no predictions, all mass unseen", () => {
    const model = fitModel([]);
    const who = principalFor("nobody");
    expect(model.predictNext(who, 5)).toEqual([]);
    const dist = model.distribution(who, START);
    expect(dist.probs.length).toBe(0);
    expect(dist.unseenMass).toBeCloseTo(1, 12);
  });

  it("gives one action's calibrated probability exactly as the full tempered distribution does", () => {
    const events = syntheticEvents({ events: 4000, seed: 5, principals: 12 });
    const model = fitModel(events.slice(0, 3000));
    model.sequence.temperature = 1.3;
    for (const event of events.slice(3000, 3300)) {
      const query = { principal: event.principal, time: event.time, sessionKey: event.sessionKey };
      const dist = model.sequence.distribution(query);
      for (const id of [model.sequence.actions.idOf(event.action), 0, -1]) {
        const expected =
          id >= 0 && id < dist.probs.length ? dist.probs[id] : dist.unseenMass / dist.unseenCount;
        expect(model.sequence.probability(query, id)).toBe(expected);
      }
      model.observe(event);
    }
  });
});
