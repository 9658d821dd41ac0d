import { describe, expect, test } from "bun:test";
import { checkBounds, fromContractPrice, paymentFor, toContractPrice } from "../../../../src/host/pricing/units.ts";

describe("price units", () => {
  test("USDC: dollars per million tokens × 1000", () => {
    expect(toContractPrice("usdc", "5")).toBe(5000n);
    expect(toContractPrice("usdc", "0.001")).toBe(1n);
    expect(toContractPrice("usdc", "100000")).toBe(100_000_000n);
    // $5 per million: a million tokens pay exactly 5 USDC (6 decimals)
    expect(paymentFor(1_000_000n, toContractPrice("usdc", "5"))).toBe(5_000_000n);
  });

  test("ETH: ETH per thousand tokens, in wei", () => {
    expect(toContractPrice("eth", "0.000002")).toBe(2_000_000_000_000n);
    expect(toContractPrice("eth", "2e-6")).toBe(2_000_000_000_000n);
    // 1000 tokens at 0.000002 ETH per thousand pay exactly 0.000002 ETH
    expect(paymentFor(1000n, toContractPrice("eth", "0.000002"))).toBe(2_000_000_000_000n);
  });

  test("round trips, and refuses what the contract cannot hold", () => {
    expect(fromContractPrice("usdc", 5000n)).toBe("5");
    expect(fromContractPrice("usdc", 2500n)).toBe("2.5");
    expect(fromContractPrice("eth", 2_000_000_000_000n)).toBe("0.000002");
    expect(() => toContractPrice("usdc", "0.0001")).toThrow("more precision");
    expect(() => toContractPrice("usdc", "-1")).toThrow("not a price");
    expect(() => toContractPrice("eth", "abc")).toThrow("not a price");
  });

  test("bounds", () => {
    expect(checkBounds("usdc", 0n)).toContain("outside the contract's bounds");
    expect(checkBounds("usdc", 5000n)).toBeUndefined();
    expect(checkBounds("eth", 227_272n)).toContain("outside");
    expect(checkBounds("eth", 22_727_272_727_273_001n)).toContain("outside");
  });
});
