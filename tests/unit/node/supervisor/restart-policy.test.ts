import { describe, expect, test } from "bun:test";
import { backoffDelay, RestartPolicy } from "../../../../src/node/supervisor/restart-policy.ts";

const backoff = { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.2 };

describe("backoffDelay", () => {
  test("grows exponentially up to the cap", () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, backoff, mid))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  test("jitter stays within ±20 %", () => {
    expect(backoffDelay(3, backoff, () => 0)).toBe(3_200);
    expect(backoffDelay(3, backoff, () => 0.999999)).toBe(4_800);
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(2, backoff);
      expect(delay).toBeGreaterThanOrEqual(1_600);
      expect(delay).toBeLessThanOrEqual(2_400);
    }
  });
});

describe("RestartPolicy", () => {
  const crashLoop = { maxCrashes: 5, windowMs: 10 * 60_000 };
  const policy = () => new RestartPolicy({ ...backoff, jitter: 0 }, crashLoop, 5 * 60_000);

  test("gives up on the 5th failure within 10 minutes", () => {
    const p = policy();
    const decisions = [0, 60_000, 120_000, 180_000, 240_000].map((at) => p.onFailure(at, undefined));
    expect(decisions.slice(0, 4).map((d) => (d.action === "restart" ? d.delayMs : -1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(decisions[4]).toEqual({ action: "give-up", failures: 5 });
  });

  test("failures older than the window are forgotten", () => {
    const p = policy();
    for (const at of [0, 1, 2, 3]) p.onFailure(at * 60_000, undefined);
    // 11 minutes later only the newer ones count.
    expect(p.onFailure(11 * 60_000, undefined).action).toBe("restart");
  });

  test("a node that stayed up long enough starts the backoff over", () => {
    const p = policy();
    p.onFailure(0, undefined);
    p.onFailure(10_000, undefined);
    const after = p.onFailure(20 * 60_000, 10 * 60_000); // up for 10 minutes
    expect(after).toEqual({ action: "restart", attempt: 1, delayMs: 1_000 });
    const quick = p.onFailure(20 * 60_000 + 5_000, 20 * 60_000); // up for 5 s
    expect(quick).toEqual({ action: "restart", attempt: 2, delayMs: 2_000 });
  });
});
