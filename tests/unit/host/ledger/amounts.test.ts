import { describe, expect, test } from "bun:test";
import { ZeroAddress } from "ethers";
import {
  AmountFormatError,
  amountOf,
  formatAmount,
  formatUnitsExact,
  parseAmount,
  paymentTokenAddress,
  paymentTokenOf,
} from "../../../../src/host/ledger/amounts.ts";
import { parseSince } from "../../../../src/host/ledger/since.ts";
import type { HostError } from "../../../../src/errors/host-error.ts";
import { HostLedgerErrors } from "../../../../src/errors/codes/index.ts";

const USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";

describe("token amounts", () => {
  test("base units to human units, exact to the last digit (ETH 18 dp, USDC 6 dp)", () => {
    expect(formatUnitsExact(2_700_000n, 18)).toBe("0.0000000000027");
    expect(formatUnitsExact(10n ** 18n, 18)).toBe("1");
    expect(formatUnitsExact(123_456_789n, 6)).toBe("123.456789");
    expect(formatUnitsExact(0n, 6)).toBe("0");
    expect(formatUnitsExact(-1_500_000n, 6)).toBe("-1.5");
    expect(formatAmount("usdc", 18_000n)).toBe("0.018 USDC");
    expect(amountOf("eth", 1n)).toEqual({ token: "eth", raw: "1", value: "0.000000000000000001" });
  });

  test("human amounts to base units; too many decimals or nothing positive is refused", () => {
    expect(parseAmount("usdc", "12.25")).toBe(12_250_000n);
    expect(parseAmount("usdc", ".5")).toBe(500_000n);
    expect(parseAmount("eth", "0.000000000000000001")).toBe(1n);
    expect(parseAmount("eth", "1.")).toBe(10n ** 18n);
    expect(parseAmount("usdc", "1.500000")).toBe(1_500_000n);
    for (const bad of ["", "abc", "-1", "1e3", "0", "0.0", "1.0000001", "1,5"]) {
      expect(() => parseAmount("usdc", bad)).toThrow(AmountFormatError);
    }
  });

  test("payment tokens by address", () => {
    expect(paymentTokenOf(ZeroAddress, USDC)).toBe("eth");
    expect(paymentTokenOf(USDC.toLowerCase(), USDC)).toBe("usdc");
    expect(paymentTokenOf("0x0000000000000000000000000000000000000001", USDC)).toBeNull();
    expect(paymentTokenAddress("eth", USDC)).toBe(ZeroAddress);
    expect(paymentTokenAddress("usdc", USDC)).toBe(USDC);
  });
});

describe("--since", () => {
  const now = Date.parse("2026-03-10T12:00:00Z");
  test("durations count back from now; dates are UTC midnight; ISO times as given", () => {
    expect(parseSince("7d", now)).toBe(Date.parse("2026-03-03T12:00:00Z"));
    expect(parseSince("12h", now)).toBe(Date.parse("2026-03-10T00:00:00Z"));
    expect(parseSince("90m", now)).toBe(now - 90 * 60_000);
    expect(parseSince("2w", now)).toBe(Date.parse("2026-02-24T12:00:00Z"));
    expect(parseSince("2026-01-31", now)).toBe(Date.parse("2026-01-31T00:00:00Z"));
    expect(parseSince("2026-01-31T08:30:00Z", now)).toBe(Date.parse("2026-01-31T08:30:00Z"));
  });

  test("anything else is a usage error naming the accepted forms", () => {
    for (const bad of ["yesterday", "7", "7 days", "2026-13-45", "d7"]) {
      const error = (() => {
        try {
          parseSince(bad, now);
        } catch (e) {
          return e as HostError;
        }
      })();
      expect(error?.code).toBe(HostLedgerErrors.SINCE_INVALID.code);
      expect(error?.exitCode).toBe(2);
    }
  });
});
