import { describe, expect, it } from "vitest";
import { memoryLatencyNs } from "./memory-probe.ts";

describe("memoryLatencyNs", () => {
  it("measures a chase beyond the caches as slower than one within them", () => {
    const cached = memoryLatencyNs(64 << 10);
    const beyond = memoryLatencyNs(64 << 20);
    expect(cached).toBeGreaterThan(0);
    // A 64 KB cycle stays in L1/L2 (a few ns per load); 64 MB is twice this machine's L3.
    expect(beyond).toBeGreaterThan(3 * cached);
  });
});
