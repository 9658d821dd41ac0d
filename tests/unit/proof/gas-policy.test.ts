import { describe, expect, test } from "bun:test";
import { mayDefer, proveBy, timeoutMarginSeconds } from "../../../src/proof/gas-policy.ts";
import { closed, opened, setup, tokens } from "./pipeline-harness.ts";
import { FakeChain } from "./fake-chain.ts";

// The fake chain's sessions pay a price of 1000 (wei × 1000 per token: 1 wei a token, 0.9 to the host) and a proof
// costs 10^12 wei: a hundred tokens are worth far less than a proof.
const policy = { minValueToGas: 1, maxUnprovenIntervals: 4 };

describe("gas-aware proving (cli signer)", () => {
  test("due checkpoints wait until maxUnprovenIntervals are unproven; the end proves the rest", async () => {
    const t = setup({ gasPolicy: policy });
    t.chain.window = 0;
    t.chain.open("1", { proofInterval: 100 });
    t.advance(10_000);
    t.feed([opened("s", "1")]);
    for (const total of [100, 200, 300]) {
      t.feed([tokens("s", total)]);
      await t.settle();
    }
    expect(t.chain.sent).toEqual([]);
    t.feed([tokens("s", 400)]);
    await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([400]);
    t.advance(1000);
    t.feed([tokens("s", 650), closed("s", 650)]);
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:400", "proof:250", "complete:"]);
  });

  test("a reloaded policy applies from the next due checkpoint", async () => {
    const t = setup({ gasPolicy: policy });
    t.chain.open("4", { proofInterval: 100 });
    t.advance(10_000);
    t.feed([opened("s", "4"), tokens("s", 100)]);
    await t.settle();
    expect(t.chain.sent).toEqual([]);
    t.pipeline.setGasPolicy({ minValueToGas: 0, maxUnprovenIntervals: 1 }); // SIGHUP: every interval again
    t.feed([tokens("s", 200)]);
    await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([200]);
  });

  test("tokens worth the gas are proven at once", async () => {
    const t = setup({ gasPolicy: policy });
    t.chain.cost = 50n; // 100 tokens pay the host 90 wei
    t.chain.open("2", { proofInterval: 100 });
    t.advance(10_000);
    t.feed([opened("s", "2"), tokens("s", 100)]);
    await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([100]);
  });

  test("a waiting proof is sent before the session's proof timeout could fire", async () => {
    const t = setup({ gasPolicy: policy });
    t.chain.open("3", { proofInterval: 100, proofTimeoutWindow: 120 });
    t.advance(10_000);
    t.feed([opened("s", "3"), tokens("s", 100)]);
    await t.settle();
    expect(t.chain.sent).toEqual([]);
    // The timeout is allowed 121 s after the last proof (here the start); the margin is 30 s.
    t.advance(80_000);
    t.pipeline.kick("s");
    await t.settle();
    expect(t.chain.sent).toEqual([]);
    t.advance(12_000);
    t.pipeline.kick("s");
    await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([100]);
  });

  test("the default policy (minValueToGas 0) proves every interval, and sessions not in ETH are never held back", () => {
    // An ETH session opened at chain time 0, proofInterval 100, with nothing proven yet.
    const chain = new FakeChain();
    chain.time = 0;
    chain.open("1");
    const session = chain.sessions.get("1")!;
    const facts = { policy, session, tokens: 100, interval: 100, chainNow: 10, cost: 10n ** 12n };
    expect(mayDefer(facts)).toBe(true);
    expect(mayDefer({ ...facts, policy: { minValueToGas: 0, maxUnprovenIntervals: 10 } })).toBe(false);
    expect(mayDefer({ ...facts, session: { ...session, paymentToken: "0x036CbD53842c5426634e7929541eC2318f3dCF7e" } })).toBe(false);
    expect(mayDefer({ ...facts, cost: undefined })).toBe(false);
    expect(mayDefer({ ...facts, chainNow: proveBy(session) })).toBe(false);
    expect([timeoutMarginSeconds(20), timeoutMarginSeconds(120), timeoutMarginSeconds(3600)]).toEqual([5, 30, 60]);
  });
});
