/**
 * Turns revert data into a sentence: `Error(string)` reasons, `Panic(uint256)` codes and the custom errors declared in
 * the project's ABI fragments (or any extra interface a caller passes).
 */
import { AbiCoder, dataSlice, isHexString, type Interface } from "ethers";
import { knownErrorsInterface } from "../abi/index.ts";

export interface DecodedRevert {
  kind: "reason" | "panic" | "custom" | "empty" | "unknown";
  /** Readable text: the reason string, the panic's meaning, or the custom error rendered. */
  message: string;
  /** Custom error name, "Error" or "Panic". */
  name?: string;
  args?: unknown[];
  /** The raw revert data, when there was any. */
  data?: string;
}

const ERROR_SELECTOR = "0x08c379a0";
const PANIC_SELECTOR = "0x4e487b71";

const PANICS: Record<number, string> = {
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "corrupt storage byte array",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialised function",
};

/** Sentences for the custom errors a host meets most; anything else is shown as Name(args). */
const CUSTOM_MESSAGES: Record<string, (args: unknown[]) => string> = {
  OwnableUnauthorizedAccount: ([account]) => `only the contract owner may do this (caller ${String(account)})`,
  EnforcedPause: () => "the contract is paused",
  ReentrancyGuardReentrantCall: () => "re-entrant call refused",
  SafeERC20FailedOperation: ([token]) => `token transfer failed (token ${String(token)})`,
  ERC20InsufficientBalance: ([sender, balance, needed]) =>
    `token balance too low: ${String(sender)} has ${String(balance)}, needs ${String(needed)} (base units)`,
  ERC20InsufficientAllowance: ([spender, allowance, needed]) =>
    `token allowance too low: ${String(spender)} may spend ${String(allowance)}, needs ${String(needed)} (base units); approve first`,
};

export function decodeRevertData(data: string | null | undefined, extra: readonly Interface[] = []): DecodedRevert {
  if (!data || data === "0x") return { kind: "empty", message: "reverted without a reason" };
  if (!isHexString(data)) return { kind: "unknown", message: "reverted with unreadable data" };
  const selector = dataSlice(data, 0, 4).toLowerCase();
  const coder = AbiCoder.defaultAbiCoder();
  try {
    if (selector === ERROR_SELECTOR) {
      const [reason] = coder.decode(["string"], dataSlice(data, 4));
      return { kind: "reason", message: String(reason), name: "Error", args: [reason], data };
    }
    if (selector === PANIC_SELECTOR) {
      const [code] = coder.decode(["uint256"], dataSlice(data, 4));
      const number = Number(code);
      return { kind: "panic", message: `panic: ${PANICS[number] ?? `code 0x${number.toString(16)}`}`, name: "Panic", args: [code], data };
    }
  } catch {
    return { kind: "unknown", message: `reverted with malformed data ${data.slice(0, 74)}`, data };
  }
  for (const iface of [...extra, knownErrorsInterface()]) {
    try {
      const parsed = iface.parseError(data);
      if (!parsed) continue;
      const args = [...parsed.args];
      const message = CUSTOM_MESSAGES[parsed.name]?.(args) ?? `${parsed.name}(${args.map(String).join(", ")})`;
      return { kind: "custom", message, name: parsed.name, args, data };
    } catch {
      /* not this interface */
    }
  }
  return { kind: "unknown", message: `reverted with unknown error ${selector}`, data };
}

/** Finds revert data anywhere in an ethers error (CallExceptionError.data, info.error.data, a nested cause …). */
export function findRevertData(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 5) return undefined;
  const err = error as Record<string, unknown>;
  if (typeof err.data === "string" && isHexString(err.data) && err.data.length >= 10) return err.data;
  for (const key of ["info", "error", "cause", "revert"]) {
    const found = findRevertData(err[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Whether an error from eth_call / eth_estimateGas is the contract saying no (as opposed to a transport failure). */
export function isRevert(error: unknown): boolean {
  const err = error as { code?: unknown; message?: unknown; info?: { error?: { code?: unknown; message?: unknown } } };
  if (err?.code === "CALL_EXCEPTION") return true;
  const inner = err?.info?.error;
  if (inner?.code === 3) return true;
  const text = `${String(err?.message ?? "")} ${String(inner?.message ?? "")}`;
  return /revert/i.test(text);
}

/** Decodes the revert carried by an ethers error, or undefined if the error is not a revert. */
export function revertFromError(error: unknown, extra: readonly Interface[] = []): DecodedRevert | undefined {
  if (!isRevert(error)) return undefined;
  const data = findRevertData(error);
  if (data) return decodeRevertData(data, extra);
  // Some nodes put the reason only in the message ("execution reverted: Not host").
  const err = error as { reason?: unknown; shortMessage?: unknown; message?: unknown; info?: { error?: { message?: unknown } } };
  if (typeof err.reason === "string" && err.reason) return { kind: "reason", message: err.reason, name: "Error" };
  const text = String(err.info?.error?.message ?? err.shortMessage ?? err.message ?? "");
  const match = /execution reverted:?\s*(.+)$/i.exec(text);
  return match?.[1] ? { kind: "reason", message: match[1].trim(), name: "Error" } : { kind: "empty", message: "reverted without a reason" };
}
