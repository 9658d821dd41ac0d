/**
 * What a node's refusal of eth_sendRawTransaction means for the intent. Messages differ between geth, reth, anvil and
 * hosted gateways, so the match is on the substance of the text and on the code ethers already mapped it to.
 */
import { isHostError } from "../../errors/host-error.ts";

export type SendVerdict =
  /** The node has it already (our earlier broadcast, or another node gossiped it): as good as accepted. */
  | "known"
  /** The nonce is used: by this intent's mined attempt, or by another transaction. */
  | "nonce-too-low"
  /** A transaction with the same nonce and a higher or equal fee is pending. */
  | "underpriced"
  | "insufficient-funds"
  /** maxFeePerGas below the current base fee: wait for the fee to fall or bump. */
  | "fee-too-low"
  /** The RPC could not be reached: try again later with the same bytes. */
  | "transient"
  /** Anything else: the node will not take these bytes. */
  | "rejected";

export function classifySendError(error: unknown): SendVerdict {
  if (isHostError(error)) return "transient"; // the pool gave up on every URL
  const err = error as { code?: unknown; message?: unknown; shortMessage?: unknown; info?: { error?: { message?: unknown } }; error?: { message?: unknown } };
  const text = [err?.info?.error?.message, err?.error?.message, err?.shortMessage, err?.message].filter((m) => typeof m === "string").join(" | ");
  if (/already known|known transaction|already imported|already exists|alreadyknown|already in (the )?(mem)?pool/i.test(text)) return "known";
  if (err?.code === "NONCE_EXPIRED" || /nonce too low|nonce has already been used|oldnonce|nonce .*already used/i.test(text)) return "nonce-too-low";
  if (err?.code === "REPLACEMENT_UNDERPRICED" || /underpriced/i.test(text)) return "underpriced";
  if (err?.code === "INSUFFICIENT_FUNDS" || /insufficient funds/i.test(text)) return "insufficient-funds";
  if (/less than (the )?block base ?fee|fee ?cap (is )?(less|lower) than|max fee per gas less than|feecaptoolow/i.test(text)) return "fee-too-low";
  if (err?.code === "NETWORK_ERROR" || err?.code === "TIMEOUT" || /timeout|timed out|ECONNREFUSED|ECONNRESET|socket hang up/i.test(text)) return "transient";
  return "rejected";
}

/** The node's own words, for an error message. */
export function sendErrorText(error: unknown): string {
  const err = error as { info?: { error?: { message?: unknown } }; shortMessage?: unknown; message?: unknown };
  return String(err?.info?.error?.message ?? err?.shortMessage ?? err?.message ?? error);
}
