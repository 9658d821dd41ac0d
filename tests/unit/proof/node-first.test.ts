import { describe, expect, test } from "bun:test";
import { nodeGraceMs, stepInAt } from "../../../src/proof/node-first.ts";
import { overBilled } from "../../../src/proof/minimum-billing.ts";

describe("when the CLI steps in for the node", () => {
  const session = { startTime: 1000, lastProofTime: 1100 };

  test("the grace is the configured one, at most half the dispute window, never under a second", () => {
    expect(nodeGraceMs(30_000, 600)).toBe(30_000);
    expect(nodeGraceMs(30_000, 10)).toBe(5000);
    expect(nodeGraceMs(30_000, 1)).toBe(1000);
  });

  test("mid-session: a grace after the claim fell due, whatever the chain's clock says", () => {
    const at = stepInAt({ since: 50_000, graceMs: 1500, ended: false }, session, { windowSeconds: 3, chainNow: 1200, now: 60_000 });
    expect(at).toBe(51_500);
  });

  test("an ended session: no later than halfway through the window after the last proof, on the chain's clock", () => {
    // Noticed late (chain time 1101, one second after the last proof): the grace would end 1.5 s from now, halfway is 0.5 s away.
    const late = stepInAt({ since: 60_000, graceMs: 1500, ended: true }, session, { windowSeconds: 3, chainNow: 1101, now: 60_000 });
    expect(late).toBe(60_500);
    // Noticed at once: the grace ends first.
    const early = stepInAt({ since: 60_000, graceMs: 1000, ended: true }, session, { windowSeconds: 30, chainNow: 1100, now: 60_000 });
    expect(early).toBe(61_000);
  });

  test("before any proof the window counts from the session's start", () => {
    const at = stepInAt({ since: 0, graceMs: 60_000, ended: true }, { startTime: 1000, lastProofTime: 0 }, { windowSeconds: 10, chainNow: 1000, now: 5000 });
    expect(at).toBe(10_000);
  });
});

describe("billing beyond what was served", () => {
  test("the padding up to proofInterval is not over-billing; what a node counts beyond it is", () => {
    expect(overBilled({ generated: 300, proven: 1000 }, { tokensUsed: 1000, proofInterval: 1000 })).toBe(0);
    expect(overBilled({ generated: 300, proven: 1000 }, { tokensUsed: 1200, proofInterval: 1000 })).toBe(200);
    expect(overBilled({ generated: 1500, proven: 1500 }, { tokensUsed: 1500, proofInterval: 1000 })).toBe(0);
    // Tokens the node generated that never reached the client (a host killed mid-answer).
    expect(overBilled({ generated: 510, proven: 0 }, { tokensUsed: 513, proofInterval: 100 })).toBe(3);
    // Under-proven is not this function's business.
    expect(overBilled({ generated: 900, proven: 800 }, { tokensUsed: 800, proofInterval: 100 })).toBe(0);
  });
});
