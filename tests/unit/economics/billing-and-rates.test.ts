import { describe, expect, test } from "bun:test";
import { usdcToWei, weiToUsdc } from "../../../src/economics/rates.ts";
import { hostPaymentFor, priceToEarn } from "../../../src/economics/billing.ts";

// A proof of ~308,000 gas at 0.01 gwei, as the demo measured: 3.08e12 wei.
const PROOF_COST = 308_000n * 10_000_000n;

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

describe("rates", () => {
  test("USDC and wei convert through ethUsd and not without it", () => {
    expect(usdcToWei(3_000_000_000n, 3000)).toBe(10n ** 18n);
    expect(weiToUsdc(10n ** 18n, 3000)).toBe(3_000_000_000n);
    expect(usdcToWei(1n, null)).toBeNull();
    expect(weiToUsdc(1n, 0)).toBeNull();
  });
});
