import { describe, expect, test } from "bun:test";
import { parseEther } from "ethers";
import { assertRequirements, evaluateRequirements, formatAmount, parseAmount, type Balances } from "../../../../src/host/registration/requirements.ts";
import type { HostError } from "../../../../src/errors/host-error.ts";
import { HostErrors } from "../../../../src/errors/codes/index.ts";

const ADDRESS = "0x00000000000000000000000000000000000000A1";
const FAB = 10n ** 18n;

function balances(eth: bigint, fab: bigint): Balances {
  return {
    address: ADDRESS,
    eth,
    fab: { amount: fab, decimals: 18, symbol: "FAB" },
    usdc: { amount: 0n, decimals: 6, symbol: "USDC" },
    minStake: 1000n * FAB,
    fabAllowance: 0n,
  };
}

function thrown(action: () => void): HostError {
  try {
    action();
  } catch (error) {
    return error as HostError;
  }
  throw new Error("nothing thrown");
}

describe("requirements", () => {
  test("enough of everything: no shortfall, no warning", () => {
    const report = evaluateRequirements(balances(parseEther("0.02"), 1000n * FAB), { gasWei: parseEther("0.001"), fab: 1000n * FAB });
    expect(report).toEqual({ address: ADDRESS, shortfalls: [], warnings: [] });
    assertRequirements(report);
  });

  test("below the recommended 0.015 ETH but above the estimate: a warning only", () => {
    const report = evaluateRequirements(balances(parseEther("0.01"), 0n), { gasWei: parseEther("0.001"), fab: 0n });
    expect(report.shortfalls).toEqual([]);
    expect(report.warnings[0]).toContain("Only 0.01 ETH for gas; 0.015 ETH is recommended");
  });

  test("FAB short: names what is held, needed and missing, and where to send it", () => {
    const error = thrown(() => assertRequirements(evaluateRequirements(balances(parseEther("1"), 400n * FAB), { gasWei: 1n, fab: 1000n * FAB })));
    expect(error.code).toBe(HostErrors.INSUFFICIENT_FAB.code);
    expect(error.message).toBe(`${ADDRESS} holds 400 FAB; the stake needs 1000 FAB: 600 FAB missing. Nothing was sent.`);
    expect(error.hint).toBe(`Try: send 600 FAB (or more) to ${ADDRESS}, then run the command again.`);
  });

  test("both short: FAB first, ETH named too", () => {
    const error = thrown(() => assertRequirements(evaluateRequirements(balances(1000n, 0n), { gasWei: parseEther("0.002"), fab: 1000n * FAB })));
    expect(error.code).toBe(HostErrors.INSUFFICIENT_FAB.code);
    expect(error.message).toContain("also");
    expect(error.message).toContain("ETH missing");
    expect((error.details!.missing as unknown[]).length).toBe(2);
  });

  test("ETH short", () => {
    const error = thrown(() => assertRequirements(evaluateRequirements(balances(parseEther("0.0005"), 0n), { gasWei: parseEther("0.002"), fab: 0n })));
    expect(error.code).toBe(HostErrors.INSUFFICIENT_ETH.code);
    expect(error.message).toContain("0.0015 ETH missing");
  });

  test("amounts: exact both ways", () => {
    expect(parseAmount("500", 18)).toBe(500n * FAB);
    expect(parseAmount("250.5", 18)).toBe(250_500_000_000_000_000_000n);
    expect(parseAmount("0.000000000000000001", 18)).toBe(1n);
    expect(parseAmount("1.0000000000000000001", 18)).toBeNull();
    expect(parseAmount("1.50", 6)).toBe(1_500_000n);
    for (const bad of ["", "-1", "1e3", "abc", "1,5", " "]) expect(parseAmount(bad, 18)).toBeNull();
    expect(formatAmount(1000n * FAB, 18)).toBe("1000");
    expect(formatAmount(15n * 10n ** 15n, 18)).toBe("0.015");
  });
});
