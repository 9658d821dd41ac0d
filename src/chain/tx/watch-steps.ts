/** Broadcasting an attempt and reading its outcome: the steps the driver repeats while an intent is in flight. */
import type { TransactionReceipt } from "ethers";
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostError } from "../../errors/host-error.ts";
import { transactionCount } from "./nonce.ts";
import { capitalise, insufficientFunds, setState, type TxDeps } from "./planner.ts";
import { revertFromError } from "./revert.ts";
import { classifySendError, sendErrorText } from "./send-errors.ts";
import type { IntentRecord, TxAttempt } from "./types.ts";

/** Starts the history note of a broadcast the node did not take as given ("nonce too low" …). */
export const REFUSED_BROADCAST_NOTE = "broadcast answered";

/** True when the intent's last step was a broadcast the node did not take: the watch looks into it at once. */
export function lastBroadcastRefused(record: IntentRecord): boolean {
  return record.history.at(-1)?.note?.startsWith(REFUSED_BROADCAST_NOTE) ?? false;
}

export function markFailed(deps: TxDeps, record: IntentRecord, error: HostError): void {
  record.error = { code: error.code, message: error.message };
  setState(deps, record, "failed", error.message);
  deps.journal.write(record);
}

/**
 * Hands the latest attempt to the node. On the first broadcast the record moves to "sent" (or "failed" when the node
 * refuses bytes that can never be mined); a re-broadcast of a dropped transaction changes nothing in the journal.
 * Anything ambiguous ("nonce too low", "underpriced") moves to "sent": the watch loop then finds our receipt, or
 * proves the nonce was taken by someone else before it plans again, so a lagging node can never cause a second send.
 */
export async function broadcastLatest(deps: TxDeps, record: IntentRecord, deadline: number | null, options: { rebroadcast?: boolean } = {}): Promise<void> {
  const last = record.attempts[record.attempts.length - 1]!;
  let verdict: ReturnType<typeof classifySendError> | "accepted" = "accepted";
  let text = "";
  try {
    await deps.provider.send("eth_sendRawTransaction", [last.raw]);
  } catch (error) {
    verdict = classifySendError(error);
    text = sendErrorText(error);
  }
  if (options.rebroadcast) {
    if (verdict !== "accepted" && verdict !== "known") deps.logger.debug("re-broadcast refused", { key: record.key, verdict, reason: text });
    return;
  }
  const now = deps.clock.now();
  switch (verdict) {
    case "accepted":
    case "known":
      last.sentAt = now;
      setState(deps, record, "sent", `broadcast ${last.hash}`);
      deps.journal.write(record);
      return;
    case "transient":
      if (deadline !== null && now >= deadline) {
        throw new HostError(
          ChainErrors.TX_PENDING,
          `"${record.description}" is signed but could not be broadcast yet (${text}); it is recorded and will be sent.`,
          {
            details: { key: record.key, hash: last.hash },
          },
        );
      }
      await deps.clock.sleep(deps.pollIntervalMs);
      return; // still "signed": the driver tries again
    case "insufficient-funds":
      if (record.attempts.length === 1) return markFailed(deps, record, insufficientFunds(record));
      break;
    case "rejected":
      if (record.attempts.length === 1 && (await transactionCount(deps.provider, record.from, "latest")) <= last.nonce) {
        return markFailed(deps, record, new HostError(ChainErrors.TX_REJECTED, `The RPC node refused "${record.description}": ${text}`));
      }
      break;
    default:
      break;
  }
  deps.logger.info("broadcast not accepted; watching the nonce", { key: record.key, verdict, reason: text });
  last.sentAt = last.sentAt ?? now;
  setState(deps, record, "sent", `${REFUSED_BROADCAST_NOTE} ${verdict}: ${text}`);
  deps.journal.write(record);
}

export interface FoundReceipt {
  receipt: TransactionReceipt;
  attempt: TxAttempt;
}

/** The receipt of whichever attempt of this intent was mined, if any. */
export async function findReceipt(deps: TxDeps, record: IntentRecord): Promise<FoundReceipt | undefined> {
  const receipts = await Promise.all(record.attempts.map((attempt) => deps.provider.getTransactionReceipt(attempt.hash)));
  const index = receipts.findIndex((receipt) => receipt !== null);
  return index < 0 ? undefined : { receipt: receipts[index]!, attempt: record.attempts[index]! };
}

/** Records the receipt: "mined" on success, "failed" with the decoded reason on a revert. */
export async function onReceipt(deps: TxDeps, record: IntentRecord, found: FoundReceipt): Promise<void> {
  const { receipt, attempt } = found;
  record.receipt = {
    hash: receipt.hash,
    nonce: attempt.nonce,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    status: receipt.status ?? 0,
    gasUsed: receipt.gasUsed.toString(),
    effectiveGasPrice: receipt.gasPrice.toString(),
  };
  if (receipt.status === 1 && attempt.reason === "withdraw") {
    // The no-op took the nonce: nothing of the intent can be mined any more.
    markFailed(
      deps,
      record,
      new HostError(
        ChainErrors.TX_CANCELLED,
        `"${record.description}" was cancelled (${record.withdrawn?.reason ?? "no longer wanted"}); its nonce went to a no-op in block ${receipt.blockNumber} (already proven or settled on chain).`,
      ),
    );
    return;
  }
  if (receipt.status === 1) {
    if (record.withdrawn)
      deps.logger.error("an intent cancelled as no longer wanted was mined before its replacement", { key: record.key, hash: receipt.hash });
    setState(deps, record, "mined", `block ${receipt.blockNumber}`);
    deps.journal.write(record);
    return;
  }
  const reason = await replayReason(deps, record, receipt, attempt);
  markFailed(
    deps,
    record,
    new HostError(ChainErrors.TX_REVERTED, `${capitalise(record.description)} failed on chain in block ${receipt.blockNumber} (${receipt.hash}): ${reason}.`, {
      details: { key: record.key, reason },
    }),
  );
}

/** Re-runs the call on the state just before its block to recover the revert reason (best effort). */
async function replayReason(deps: TxDeps, record: IntentRecord, receipt: TransactionReceipt, attempt: TxAttempt): Promise<string> {
  if (receipt.gasUsed >= BigInt(attempt.gasLimit)) return "it ran out of gas";
  try {
    await deps.provider.call({
      from: record.from,
      to: record.to,
      data: record.data,
      value: BigInt(record.value),
      blockTag: Math.max(0, receipt.blockNumber - 1),
    });
    return "it reverted (the reason could not be recovered)";
  } catch (error) {
    return revertFromError(error, deps.errorInterfaces)?.message ?? "it reverted (the reason could not be recovered)";
  }
}
