/**
 * Cancelling an intent that is no longer wanted. A transaction signed before a crash (or one whose nonce another
 * process took) can outlive its purpose: in node signer mode the node may have proven the very tokens a recorded
 * proof claims, and sending it now would prove them twice. The owner of the intent says so through `stillWanted`;
 * then nothing of it may be mined:
 *   - nothing signed yet, or its nonce already used by another transaction: it can never be mined; it is failed;
 *   - signed, nonce still free: the signed bytes may sit in some mempool, so a no-op (0 ETH to ourselves, 21000 gas)
 *     with the same nonce and a higher fee replaces it; once that is mined the intent is failed as cancelled.
 * The chain decides a race: if the original is mined first, it is recorded as mined like any other.
 */
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostError } from "../../errors/host-error.ts";
import { initialFees, readMarketFees, replacementFees } from "./fees.ts";
import { transactionCount } from "./nonce.ts";
import { setState, sign, type TxDeps } from "./planner.ts";
import { findReceipt, markFailed } from "./watch-steps.ts";
import type { IntentRecord } from "./types.ts";

const NO_OP_GAS = 21_000n;

export function cancelledError(record: IntentRecord): HostError {
  return new HostError(
    ChainErrors.TX_CANCELLED,
    `"${record.description}" was cancelled, not sent again: ${record.withdrawn?.reason ?? "no longer wanted"} (already proven or settled on chain).`,
    { details: { key: record.key } },
  );
}

/** Marks the intent cancelled and either fails it (nothing can be mined) or signs its no-op replacement ("signed"). */
export async function cancelIntent(deps: TxDeps, record: IntentRecord, reason: string): Promise<void> {
  if (record.state === "planned") return finish(deps, record, reason);
  if (await findReceipt(deps, record)) return; // already mined: the driver records it
  const last = record.attempts[record.attempts.length - 1];
  if (!last || (await transactionCount(deps.provider, record.from, "latest")) > last.nonce) return finish(deps, record, reason);
  const known = (await Promise.all(record.attempts.map((a) => deps.provider.getTransaction(a.hash).catch(() => null)))).some((tx) => tx !== null);
  const market = await readMarketFees(deps.provider);
  const previous = { maxFeePerGas: BigInt(last.maxFeePerGas), maxPriorityFeePerGas: BigInt(last.maxPriorityFeePerGas) };
  // A replacement must outbid what a mempool holds; bytes no node has seen only need a fee that gets mined.
  const fees = replacementFees(previous, market, deps.capWei) ?? (known ? null : initialFees(market, deps.capWei));
  if (!fees) {
    deps.logger.error("an intent no longer wanted is in the mempool and the fee cap leaves no room to replace it", { key: record.key, hash: last.hash });
    return;
  }
  record.withdrawn = { at: deps.clock.now(), reason };
  const attempt = await sign(deps, record, last.nonce, NO_OP_GAS, fees, "withdraw");
  record.attempts.push(attempt);
  setState(deps, record, "signed", `withdrawn (${reason}): no-op replacement at nonce ${last.nonce}`);
  deps.journal.write(record);
  deps.logger.warn("intent no longer wanted: replacing it with a no-op at the same nonce", { key: record.key, nonce: last.nonce, reason });
}

function finish(deps: TxDeps, record: IntentRecord, reason: string): void {
  record.withdrawn = { at: deps.clock.now(), reason };
  deps.logger.warn("intent no longer wanted: cancelled, nothing of it can be mined", { key: record.key, reason });
  markFailed(deps, record, cancelledError(record));
}

/** Consults the owner before an intent is sent again; true when it was cancelled (the record says how). */
export async function cancelIfUnwanted(deps: TxDeps, record: IntentRecord, when: string): Promise<boolean> {
  if (!deps.stillWanted || record.withdrawn) return false;
  if (await deps.stillWanted(record)) return false;
  await cancelIntent(deps, record, `no longer wanted ${when}`);
  return record.withdrawn !== undefined;
}
