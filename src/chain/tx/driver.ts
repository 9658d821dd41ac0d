/**
 * Drives one intent from whatever step the journal says it reached to the end: sign, broadcast, watch (re-broadcast a
 * dropped transaction, replace a stuck one with a higher fee, take a new nonce if another transaction used ours),
 * wait for confirmations. Every step is written to the journal before the next begins, so a crash anywhere resumes
 * here without sending anything twice: all attempts of an intent share one nonce, except after the chain has proven
 * that nonce used by a transaction that is not ours.
 */
import { ChainErrors } from "../../errors/codes/chain.ts";
import { allErrorCodes } from "../../errors/codes/index.ts";
import { HostError } from "../../errors/host-error.ts";
import { broadcastLatest, findReceipt, lastBroadcastRefused, markFailed, onReceipt } from "./watch-steps.ts";
import { cancelIfUnwanted, cancelledError } from "./cancel.ts";
import { transactionCount } from "./nonce.ts";
import { setState, signFeeBump, signWithNewNonce, type TxDeps } from "./planner.ts";
import type { IntentRecord, TxStep } from "./types.ts";

/** Re-planning with a new nonce more often than this means something keeps racing us: stop and say so. */
const MAX_NONCE_REPLANS = 5;

export async function driveIntent(deps: TxDeps, record: IntentRecord, deadline: number | null): Promise<IntentRecord> {
  for (;;) {
    try {
      switch (record.state) {
        case "planned":
          await failOnError(deps, record, () => signWithNewNonce(deps, record, "first"));
          await step(deps, "after-sign", record);
          break;
        case "signed":
          await broadcastLatest(deps, record, deadline);
          if ((record.state as string) === "sent") await step(deps, "after-send", record);
          break;
        case "sent":
          await watch(deps, record, deadline);
          break;
        case "mined":
          await confirm(deps, record, deadline);
          break;
        case "confirmed":
          return record;
        case "failed":
          throw errorOf(record);
      }
    } catch (error) {
      // Once signed, an RPC outage only delays the intent: keep trying (within the deadline), never give it up.
      const signed = record.state === "signed" || record.state === "sent" || record.state === "mined";
      if (!(signed && error instanceof HostError && error.code === ChainErrors.RPC_UNAVAILABLE.code)) throw error;
      deps.logger.warn("RPC unavailable while a transaction is in flight; retrying", { key: record.key, error: error.message });
      if (deadline !== null && deps.clock.now() >= deadline) throw pending(record);
      await deps.clock.sleep(Math.max(deps.pollIntervalMs, 1000));
    }
  }
}

/** Planning errors (revert, fees, funds) leave nothing that could be mined: the intent is failed, and may be re-planned. */
export async function failOnError(deps: TxDeps, record: IntentRecord, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const hostError =
      error instanceof HostError
        ? error
        : new HostError(ChainErrors.TX_REJECTED, `Cannot send "${record.description}": ${(error as Error)?.message ?? String(error)}`, { cause: error });
    record.error = { code: hostError.code, message: hostError.message };
    setState(deps, record, "failed", hostError.message);
    deps.journal.write(record);
    throw hostError;
  }
}

/** A new nonce for an intent whose nonce another transaction used (checked by the caller). */
export async function replan(deps: TxDeps, record: IntentRecord): Promise<void> {
  // Another transaction took our nonce: perhaps the very one this intent was for (the node proved those tokens).
  // Asked first, so a second send never proves them twice; a withdrawn intent's no-op needs no new nonce.
  if (record.withdrawn) return markFailed(deps, record, cancelledError(record));
  if (await cancelIfUnwanted(deps, record, "after another transaction took its nonce")) return;
  const replans = record.attempts.filter((a) => a.reason === "nonce-taken").length;
  deps.logger.warn("nonce used by another transaction; planning again", { key: record.key, nonce: record.attempts.at(-1)?.nonce });
  if (replans >= MAX_NONCE_REPLANS) {
    await failOnError(deps, record, async () => {
      throw new HostError(ChainErrors.TX_REJECTED, `Another process keeps using the nonces of ${record.from}; "${record.description}" was not sent.`);
    });
  }
  await failOnError(deps, record, () => signWithNewNonce(deps, record, "nonce-taken"));
}

async function watch(deps: TxDeps, record: IntentRecord, deadline: number | null): Promise<void> {
  const { clock, provider } = deps;
  // A broadcast the node did not take ("nonce too low" …) is looked into at once, not after the first interval.
  let lastDropCheck = lastBroadcastRefused(record) ? -Infinity : clock.now();
  let lastBumpTry = 0;
  let strikes = 0;
  for (;;) {
    const receipt = await findReceipt(deps, record);
    if (receipt) {
      await onReceipt(deps, record, receipt);
      if (record.state === "mined") await step(deps, "after-mine", record);
      return;
    }
    const now = clock.now();
    if (deadline !== null && now >= deadline) throw pending(record);
    const last = record.attempts[record.attempts.length - 1]!;

    if (now - lastDropCheck >= deps.dropCheckIntervalMs) {
      lastDropCheck = now;
      const used = await transactionCount(provider, record.from, "latest");
      if (used > last.nonce) {
        // Our nonce is used, yet no receipt of ours. An intent its owner no longer wants is withdrawn at once (the chain
        // already has what it was for, whoever did it); otherwise, twice in a row (a lagging node gets one chance)
        // proves it was another transaction, and the intent is planned again.
        if (strikes === 0 && (await cancelIfUnwanted(deps, record, "after another transaction took its nonce"))) return;
        strikes += 1;
        if (strikes >= 2 && !(await anyAttemptMined(deps, record))) return replan(deps, record);
      } else {
        strikes = 0;
        const sameNonce = record.attempts.filter((a) => a.nonce === last.nonce);
        const known = await Promise.all(sameNonce.map((a) => provider.getTransaction(a.hash).catch(() => null)));
        if (known.every((tx) => tx === null)) {
          deps.logger.warn("transaction dropped from the mempool; sending it again", { key: record.key, hash: last.hash });
          await broadcastLatest(deps, record, deadline, { rebroadcast: true });
        }
      }
    }

    const sentAt = last.sentAt ?? last.signedAt;
    if (now - sentAt >= deps.pendingTimeoutMs && now - lastBumpTry >= deps.pendingTimeoutMs) {
      lastBumpTry = now;
      if (await signFeeBump(deps, record)) return; // state "signed": the loop above broadcasts it
      deps.logger.warn("transaction pending but the fee cap leaves no room for a replacement", { key: record.key, hash: last.hash });
    }
    await clock.sleep(deps.pollIntervalMs);
  }
}

/** A last look before giving a nonce up: a node that lags on receipts may still show our transaction in a block. */
async function anyAttemptMined(deps: TxDeps, record: IntentRecord): Promise<boolean> {
  const found = await Promise.all(record.attempts.map((a) => deps.provider.getTransaction(a.hash).catch(() => null)));
  return found.some((tx) => tx !== null && tx.blockNumber !== null);
}

async function confirm(deps: TxDeps, record: IntentRecord, deadline: number | null): Promise<void> {
  const receipt = record.receipt!;
  const needed = Math.max(1, deps.confirmations);
  for (;;) {
    const head = await deps.provider.getBlockNumber();
    if (head - receipt.blockNumber + 1 >= needed) {
      if (needed > 1) {
        // Still in the same block after the wait? Otherwise a reorg took it out: watch again.
        const fresh = await deps.provider.getTransactionReceipt(receipt.hash);
        if (!fresh || fresh.blockHash !== receipt.blockHash) {
          record.receipt = null;
          setState(deps, record, "sent", "removed by a chain reorganisation");
          deps.journal.write(record);
          return;
        }
      }
      setState(deps, record, "confirmed", `${needed} confirmation(s)`);
      deps.journal.write(record);
      await step(deps, "after-confirm", record);
      return;
    }
    if (deadline !== null && deps.clock.now() >= deadline) throw pending(record);
    await deps.clock.sleep(deps.pollIntervalMs);
  }
}

async function step(deps: TxDeps, name: TxStep, record: IntentRecord): Promise<void> {
  await deps.hooks.onStep?.(name, record);
}

export function pending(record: IntentRecord): HostError {
  const hash = record.receipt?.hash ?? record.attempts.at(-1)?.hash ?? null;
  return new HostError(ChainErrors.TX_PENDING, `"${record.description}" is still pending${hash ? ` (${hash})` : ""}; it is recorded and will be finished.`, {
    details: { key: record.key, hash, state: record.state },
  });
}

export function errorOf(record: IntentRecord): HostError {
  const code = allErrorCodes.find((c) => c.code === record.error?.code) ?? ChainErrors.TX_REJECTED;
  return new HostError(code, record.error?.message ?? `"${record.description}" failed.`, { details: { key: record.key } });
}
