import { describe, expect, test } from "bun:test";
import { decideProof, usdcToWei, weiToUsdc, type ProofPolicyInput } from "../../../src/economics/proof-policy.ts";
import { hostPaymentFor, priceToEarn } from "../../../src/economics/billing.ts";

// A proof of ~308,000 gas at 0.01 gwei, as the demo measured: 3.08e12 wei.
const PROOF_COST = 308_000n * 10_000_000n;

const base: ProofPolicyInput = {
  unprovenTokens: 1000,
  pricePerToken: 2_000_000_000_000n, // 1,000 tokens pay 2e12 wei before the fee
  token: "eth",
  feeBasisPoints: 1000n,
  proofCostWei: PROOF_COST,
  minValueToGas: 2,
  proofInterval: 1000,
  maxUnprovenIntervals: 5,
  secondsToTimeout: 600,
  timeoutMarginSeconds: 60,
  sessionEnded: false,
  ethUsd: null,
};

describe("billing rules", () => {
  test("payment is tokens × price / 1000 less the treasury fee, rounded down (JobMarketplaceWithModelsUpgradeable.sol:684-690)", () => {
    expect(hostPaymentFor(1000n, 2_000_000_000_000n, 1000n)).toBe(1_800_000_000_000n);
    expect(hostPaymentFor(1n, 999n, 0n)).toBe(0n);
  });
  test("priceToEarn is the smallest price whose payment covers the cost", () => {
    const price = priceToEarn(PROOF_COST, 1000n, 1000n);
    expect(hostPaymentFor(1000n, price, 1000n)).toBeGreaterThanOrEqual(PROOF_COST);
    expect(hostPaymentFor(1000n, price - 1n, 1000n)).toBeLessThan(PROOF_COST);
  });
});

describe("decideProof", () => {
  test("fewer than MIN_PROVEN_TOKENS (100) cannot be claimed, even at the end", () => {
    expect(decideProof({ ...base, unprovenTokens: 99, sessionEnded: true })).toMatchObject({ claim: false, reason: "below-minimum" });
  });
  test("an ended session claims what covers its gas, and leaves what does not", () => {
    const rich = { ...base, sessionEnded: true, pricePerToken: 10_000_000_000_000n };
    expect(decideProof(rich)).toMatchObject({ claim: true, reason: "final" });
    expect(decideProof({ ...base, sessionEnded: true })).toMatchObject({ claim: false, reason: "final-not-worth-gas" });
  });
  test("a near timeout forces the claim whatever it is worth", () => {
    expect(decideProof({ ...base, secondsToTimeout: 60 })).toMatchObject({ claim: true, reason: "timeout-near" });
    expect(decideProof({ ...base, secondsToTimeout: 61 }).claim).toBe(false);
  });
  test("maxUnprovenIntervals caps the unproven tokens", () => {
    const patient = { ...base, minValueToGas: 100 };
    expect(decideProof({ ...patient, unprovenTokens: 4999 }).claim).toBe(false);
    expect(decideProof({ ...patient, unprovenTokens: 5000 })).toMatchObject({ claim: true, reason: "max-unproven" });
  });
  test("claims once the value reaches minValueToGas × gas", () => {
    // 1,000 tokens pay 1.8e12 net; 2 × 3.08e12 = 6.16e12 needs 3,423 tokens.
    expect(decideProof({ ...base, unprovenTokens: 3422 })).toMatchObject({ claim: false, reason: "wait" });
    expect(decideProof({ ...base, unprovenTokens: 3423 })).toMatchObject({ claim: true, reason: "worth-gas" });
  });
  test("a USDC session without an ETH/USD rate claims at every interval", () => {
    const usdc = { ...base, token: "usdc" as const, pricePerToken: 1000n };
    expect(decideProof({ ...usdc, unprovenTokens: 999 })).toMatchObject({ claim: false, reason: "wait", valueWei: null });
    expect(decideProof(usdc)).toMatchObject({ claim: true, reason: "interval-no-rate" });
  });
  test("a USDC session with a rate compares value with gas in wei", () => {
    // 1,000 tokens at 1000 → 1,000 micro-USDC gross, 900 net = $0.0009; at $3,000/ETH = 3e11 wei < 2 × 3.08e12.
    const usdc = { ...base, token: "usdc" as const, pricePerToken: 1000n, ethUsd: 3000 };
    expect(decideProof(usdc)).toMatchObject({ claim: false, reason: "wait", valueWei: 300_000_000_000n });
  });
});

describe("rates", () => {
  test("USDC and wei convert through ethUsd and not without it", () => {
    expect(usdcToWei(3_000_000_000n, 3000)).toBe(10n ** 18n);
    expect(weiToUsdc(10n ** 18n, 3000)).toBe(3_000_000_000n);
    expect(usdcToWei(1n, null)).toBeNull();
    expect(weiToUsdc(1n, 0)).toBeNull();
  });
});
