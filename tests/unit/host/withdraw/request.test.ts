import { describe, expect, test } from "bun:test";
import { ZeroAddress } from "ethers";
import { checkColdAddress, parseWithdrawRequest } from "../../../../src/host/withdraw/request.ts";
import type { HostError } from "../../../../src/errors/host-error.ts";
import { HostLedgerErrors } from "../../../../src/errors/codes/index.ts";

const COLD = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const HOST = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as HostError).code;
  }
  return undefined;
}

describe("withdraw request", () => {
  test("tokens and amounts", () => {
    expect(parseWithdrawRequest({})).toEqual({ tokens: ["eth", "usdc"], amount: null, to: null });
    expect(parseWithdrawRequest({ token: "usdc" })).toEqual({ tokens: ["usdc"], amount: null, to: null });
    expect(parseWithdrawRequest({ token: "eth", amount: "0.5" })).toEqual({ tokens: ["eth"], amount: 5n * 10n ** 17n, to: null });
    expect(parseWithdrawRequest({ token: "usdc", amount: "25", to: COLD })).toEqual({ tokens: ["usdc"], amount: 25_000_000n, to: COLD });
  });

  test("an amount needs a single token, and must parse", () => {
    expect(codeOf(() => parseWithdrawRequest({ amount: "1" }))).toBe(HostLedgerErrors.WITHDRAW_OPTIONS.code);
    expect(codeOf(() => parseWithdrawRequest({ token: "all", amount: "1" }))).toBe(HostLedgerErrors.WITHDRAW_OPTIONS.code);
    expect(codeOf(() => parseWithdrawRequest({ token: "usdc", amount: "1.0000001" }))).toBe(HostLedgerErrors.WITHDRAW_AMOUNT_INVALID.code);
    expect(codeOf(() => parseWithdrawRequest({ token: "fab" }))).toBe(HostLedgerErrors.WITHDRAW_OPTIONS.code);
  });
});

describe("cold address (--to)", () => {
  test("the checksummed form is accepted as it is", () => {
    expect(checkColdAddress(COLD)).toBe(COLD);
    expect(checkColdAddress(` ${COLD} `)).toBe(COLD);
    expect(checkColdAddress("0x1111111111111111111111111111111111111111")).toBe("0x1111111111111111111111111111111111111111"); // no letters, nothing to check
  });

  test("lowercase, uppercase, a wrong checksum, malformed, 0x0 and the host itself are refused (usage, FH0351)", () => {
    const refused = [
      COLD.toLowerCase(),
      "0x" + COLD.slice(2).toUpperCase(),
      COLD.replace("bf6EB", "bf6eB"),
      COLD.slice(0, 41),
      "90F79bf6EB2c4f870365E785982E1f101E93b906",
      ZeroAddress,
    ];
    for (const address of refused)
      expect({ address, code: codeOf(() => checkColdAddress(address)) }).toEqual({ address, code: HostLedgerErrors.WITHDRAW_ADDRESS_INVALID.code });
    expect(codeOf(() => checkColdAddress(HOST, HOST))).toBe(HostLedgerErrors.WITHDRAW_ADDRESS_INVALID.code);
    expect(codeOf(() => checkColdAddress(HOST, COLD))).toBeUndefined();
  });

  test("the message says why, and never offers a corrected form of a mistyped address", () => {
    try {
      checkColdAddress(COLD.toLowerCase());
    } catch (error) {
      expect((error as HostError).message).toContain("no checksum");
      expect(`${(error as HostError).message} ${(error as HostError).hint}`).not.toContain(COLD);
      expect((error as HostError).exitCode).toBe(2);
    }
  });
});
