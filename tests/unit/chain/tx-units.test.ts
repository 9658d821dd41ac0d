/** Pure parts of the transaction layer: revert decoding, fee rules, send-error verdicts. */
import { describe, expect, test } from "bun:test";
import { AbiCoder, Interface, concat, id } from "ethers";
import { findRevertData, decodeRevertData, revertFromError } from "../../../src/chain/tx/revert.ts";
import { formatGwei, gweiToWei, initialFees, replacementFees } from "../../../src/chain/tx/fees.ts";
import { classifySendError } from "../../../src/chain/tx/send-errors.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { ChainErrors } from "../../../src/errors/codes/chain.ts";

const coder = AbiCoder.defaultAbiCoder();
const reasonData = (text: string) => concat(["0x08c379a0", coder.encode(["string"], [text])]);
const panicData = (code: number) => concat(["0x4e487b71", coder.encode(["uint256"], [code])]);

describe("decodeRevertData", () => {
  test("Error(string)", () => {
    expect(decodeRevertData(reasonData("Not host"))).toMatchObject({ kind: "reason", message: "Not host" });
  });
  test("Panic(uint256)", () => {
    expect(decodeRevertData(panicData(0x11)).message).toBe("panic: arithmetic overflow or underflow");
    expect(decodeRevertData(panicData(0x99)).message).toBe("panic: code 0x99");
  });
  test("custom errors from the project's ABIs, with sentences for the common ones", () => {
    const owner = new Interface(["error OwnableUnauthorizedAccount(address account)"]).encodeErrorResult("OwnableUnauthorizedAccount", [
      "0x000000000000000000000000000000000000dEaD",
    ]);
    expect(decodeRevertData(owner)).toMatchObject({
      kind: "custom",
      name: "OwnableUnauthorizedAccount",
      message: "only the contract owner may do this (caller 0x000000000000000000000000000000000000dEaD)",
    });
    const allowance = new Interface(["error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)"]).encodeErrorResult(
      "ERC20InsufficientAllowance",
      ["0x000000000000000000000000000000000000dEaD", 5n, 1000n],
    );
    expect(decodeRevertData(allowance).message).toContain("approve first");
  });
  test("an extra interface decodes its own errors; unknown selectors are named", () => {
    const extra = new Interface(["error Tooearly(uint256 wait)"]);
    expect(decodeRevertData(extra.encodeErrorResult("Tooearly", [30]), [extra]).message).toBe("Tooearly(30)");
    expect(decodeRevertData(id("Nope()").slice(0, 10)).message).toBe(`reverted with unknown error ${id("Nope()").slice(0, 10)}`);
    expect(decodeRevertData("0x").kind).toBe("empty");
  });
  test("revert data is found wherever ethers put it; a reason only in the message is read too", () => {
    const data = reasonData("Min tokens");
    expect(findRevertData({ code: "CALL_EXCEPTION", info: { error: { code: 3, data } } })).toBe(data);
    expect(revertFromError({ code: "CALL_EXCEPTION", data })!.message).toBe("Min tokens");
    expect(revertFromError({ info: { error: { code: -32000, message: "execution reverted: Dispute wait" } } })!.message).toBe("Dispute wait");
    expect(revertFromError({ code: "NETWORK_ERROR", message: "socket hang up" })).toBeUndefined();
  });
});

describe("fees", () => {
  const gwei = (n: number) => gweiToWei(n);
  test("a new transaction offers 2 × base fee + tip, within the cap", () => {
    expect(initialFees({ baseFee: gwei(1), priorityFee: gwei(0.5) }, gwei(10))).toEqual({ maxFeePerGas: gwei(2.5), maxPriorityFeePerGas: gwei(0.5) });
    // Capped: the tip shrinks to what the cap leaves above the base fee.
    expect(initialFees({ baseFee: gwei(1), priorityFee: gwei(2) }, gwei(2))).toEqual({ maxFeePerGas: gwei(2), maxPriorityFeePerGas: gwei(1) });
  });
  test("a base fee at or above the cap is refused with the figures", () => {
    try {
      initialFees({ baseFee: gwei(3), priorityFee: 1n }, gwei(2));
      throw new Error("no error");
    } catch (error) {
      expect((error as HostError).code).toBe(ChainErrors.FEE_ABOVE_CAP.code);
      expect((error as HostError).message).toContain("3 gwei, at or above the cap of 2 gwei");
    }
  });
  test("a replacement raises both fees by at least 12.5% and respects the cap", () => {
    const previous = { maxFeePerGas: 1000n, maxPriorityFeePerGas: 100n };
    const calm = { baseFee: 10n, priorityFee: 1n };
    expect(replacementFees(previous, calm, 10_000n)).toEqual({ maxFeePerGas: 1125n, maxPriorityFeePerGas: 113n });
    expect(replacementFees(previous, { baseFee: 2000n, priorityFee: 300n }, 10_000n)).toEqual({ maxFeePerGas: 4300n, maxPriorityFeePerGas: 300n });
    expect(replacementFees(previous, { baseFee: 2000n, priorityFee: 300n }, 3000n)).toEqual({ maxFeePerGas: 3000n, maxPriorityFeePerGas: 300n });
    expect(replacementFees(previous, calm, 1100n)).toBeNull(); // no room for +12.5%
    expect(replacementFees({ maxFeePerGas: 10n, maxPriorityFeePerGas: 0n }, { baseFee: 1n, priorityFee: 0n }, 100n)!.maxPriorityFeePerGas).toBe(1n);
  });
  test("gwei conversions", () => {
    expect(gweiToWei(0.001)).toBe(1_000_000n);
    expect(gweiToWei(0.000001)).toBe(1_000n);
    expect(formatGwei(1_500_000_000n)).toBe("1.5");
    expect(formatGwei(2_000_000_000n)).toBe("2");
  });
});

describe("classifySendError", () => {
  const rpc = (message: string, code = "UNKNOWN_ERROR") => ({ code, message: "could not coalesce error", info: { error: { code: -32000, message } } });
  test("verdicts from the node's words and ethers' codes", () => {
    expect(classifySendError(rpc("already known"))).toBe("known");
    expect(classifySendError(rpc("transaction already imported"))).toBe("known");
    expect(classifySendError(rpc("nonce too low: next nonce 5, tx nonce 4"))).toBe("nonce-too-low");
    expect(classifySendError({ code: "NONCE_EXPIRED", message: "nonce has already been used" })).toBe("nonce-too-low");
    expect(classifySendError(rpc("replacement transaction underpriced"))).toBe("underpriced");
    expect(classifySendError(rpc("insufficient funds for gas * price + value"))).toBe("insufficient-funds");
    expect(classifySendError(rpc("max fee per gas less than block base fee"))).toBe("fee-too-low");
    expect(classifySendError(new HostError(ChainErrors.RPC_UNAVAILABLE, "down"))).toBe("transient");
    expect(classifySendError(rpc("exceeds block gas limit"))).toBe("rejected");
  });
});
