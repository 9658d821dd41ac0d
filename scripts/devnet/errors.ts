/**
 * Decoding the devnet contracts' reverts: a require string (Error(string)) or one of the
 * few custom errors they share with the live contracts.
 */
import { Interface } from "ethers";

export const DEVNET_CUSTOM_ERRORS = [
  "error OwnableUnauthorizedAccount(address account)",
  "error OwnableInvalidOwner(address owner)",
  "error ReentrancyGuardReentrantCall()",
  "error EnforcedPause()",
  "error ExpectedPause()",
] as const;

const errors = new Interface([...DEVNET_CUSTOM_ERRORS]);

/** "Not host" for Error("Not host"), "EnforcedPause" for a custom error, undefined otherwise. */
export function decodeRevertData(data: string | undefined | null): string | undefined {
  if (!data || data === "0x") return undefined;
  try {
    const parsed = errors.parseError(data);
    if (parsed) return parsed.name;
  } catch {
    // not one of ours; fall through to Error(string)
  }
  if (data.startsWith("0x08c379a0")) {
    try {
      return errors.getAbiCoder().decode(["string"], `0x${data.slice(10)}`)[0] as string;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The revert reason or custom error name carried by an ethers error, if any. */
export function revertReasonOf(error: unknown): string | undefined {
  const e = error as { reason?: string | null; revert?: { name?: string } | null; data?: string | null };
  return e?.reason ?? e?.revert?.name ?? decodeRevertData(e?.data);
}
