/**
 * Before anything is signed, the transaction is simulated (eth_estimateGas): a revert becomes a readable HostError
 * and nothing is sent. Then fees are quoted, a nonce allocated, the transaction signed and recorded in the journal,
 * all before it is broadcast.
 */
import { keccak256, type Interface, type JsonRpcApiProvider } from "ethers";
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostError, isHostError } from "../../errors/host-error.ts";
import type { Clock } from "../../util/clock.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import { initialFees, readMarketFees, replacementFees, type Fees } from "./fees.ts";
import type { IntentJournal } from "./journal.ts";
import type { NonceAllocator } from "./nonce.ts";
import { revertFromError } from "./revert.ts";
import { classifySendError, sendErrorText } from "./send-errors.ts";
import type { IntentRecord, IntentState, TxAttempt, TxHooks, TxSigner } from "./types.ts";

export interface TxDeps {
  provider: JsonRpcApiProvider;
  signer: TxSigner;
  journal: IntentJournal;
  nonces: NonceAllocator;
  chainId: number;
  capWei: bigint;
  gasMarginPercent: number;
  confirmations: number;
  pendingTimeoutMs: number;
  pollIntervalMs: number;
  dropCheckIntervalMs: number;
  clock: Clock;
  logger: Logger;
  hooks: TxHooks;
  errorInterfaces: readonly Interface[];
  /** Asked before an intent is sent again after a crash or with a new nonce; false withdraws it (see withdraw.ts). */
  stillWanted?: (record: IntentRecord) => Promise<boolean>;
}

/** What an attempt of this intent calls: the intent itself, or once withdrawn, a no-op transfer of 0 ETH to ourselves. */
export function callOf(record: IntentRecord): { to: string; data: string; value: bigint } {
  return record.withdrawn ? { to: record.from, data: "0x", value: 0n } : { to: record.to, data: record.data, value: BigInt(record.value) };
}

export function setState(deps: TxDeps, record: IntentRecord, state: IntentState, note?: string): void {
  record.state = state;
  record.updatedAt = deps.clock.now();
  record.history.push(note ? { at: record.updatedAt, state, note } : { at: record.updatedAt, state });
}

/** Simulates the call; returns the gas limit to use. Throws HostError (and sends nothing) if it would fail. */
export async function preflight(deps: TxDeps, record: IntentRecord): Promise<bigint> {
  let estimate: bigint;
  try {
    estimate = await deps.provider.estimateGas({ from: record.from, to: record.to, data: record.data, value: BigInt(record.value) });
  } catch (error) {
    if (isHostError(error)) throw error;
    const revert = revertFromError(error, deps.errorInterfaces);
    if (revert) {
      throw new HostError(ChainErrors.TX_WOULD_REVERT, `${capitalise(record.description)} would fail: ${revert.message}. Nothing was sent.`, {
        cause: error,
        details: { key: record.key, reason: revert.message, error: revert.name ?? null, revertData: revert.data ?? null },
      });
    }
    if (classifySendError(error) === "insufficient-funds") throw insufficientFunds(record);
    throw new HostError(ChainErrors.TX_REJECTED, `Cannot prepare "${record.description}": ${sendErrorText(error)}`, { cause: error });
  }
  if (record.gasLimit) return BigInt(record.gasLimit);
  return (estimate * BigInt(100 + Math.max(0, Math.round(deps.gasMarginPercent)))) / 100n;
}

/** Simulates, prices, takes a fresh nonce, signs and journals a new attempt; the record ends in "signed". */
export async function signWithNewNonce(deps: TxDeps, record: IntentRecord, reason: "first" | "nonce-taken"): Promise<void> {
  const gasLimit = await preflight(deps, record);
  const fees = initialFees(await readMarketFees(deps.provider), deps.capWei);
  await deps.nonces.withNextNonce(record.key, async (nonce) => {
    const attempt = await sign(deps, record, nonce, gasLimit, fees, reason);
    record.attempts.push(attempt);
    setState(deps, record, "signed", `nonce ${nonce}${reason === "nonce-taken" ? " (previous nonce taken by another transaction)" : ""}`);
    deps.journal.write(record);
  });
}

/**
 * Signs a replacement of the latest attempt (same nonce, fees up by at least 12.5%). Returns false, signing nothing,
 * when the cap leaves no room for a bump.
 */
export async function signFeeBump(deps: TxDeps, record: IntentRecord): Promise<boolean> {
  const last = record.attempts[record.attempts.length - 1]!;
  const previous: Fees = { maxFeePerGas: BigInt(last.maxFeePerGas), maxPriorityFeePerGas: BigInt(last.maxPriorityFeePerGas) };
  const fees = replacementFees(previous, await readMarketFees(deps.provider), deps.capWei);
  if (!fees) return false;
  const attempt = await sign(deps, record, last.nonce, BigInt(last.gasLimit), fees, record.withdrawn ? "withdraw" : "fee-bump");
  record.attempts.push(attempt);
  setState(deps, record, "signed", `fee bump to ${fees.maxFeePerGas} wei/gas`);
  deps.journal.write(record);
  return true;
}

export async function sign(deps: TxDeps, record: IntentRecord, nonce: number, gasLimit: bigint, fees: Fees, reason: TxAttempt["reason"]): Promise<TxAttempt> {
  const raw = await deps.signer.signTransaction({
    type: 2,
    chainId: BigInt(deps.chainId),
    nonce,
    ...callOf(record),
    gasLimit,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  });
  return {
    nonce,
    hash: keccak256(raw),
    raw,
    maxFeePerGas: fees.maxFeePerGas.toString(),
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(),
    gasLimit: gasLimit.toString(),
    reason,
    signedAt: deps.clock.now(),
    sentAt: null,
  };
}

export function insufficientFunds(record: IntentRecord): HostError {
  return new HostError(ChainErrors.INSUFFICIENT_FUNDS, `${record.from} has too little ETH to pay the gas for "${record.description}".`, {
    details: { key: record.key, address: record.from },
  });
}

export function capitalise(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
