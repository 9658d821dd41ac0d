/**
 * Sending a plan: finish what an earlier run left in flight, ask, then submit phase by phase through the journaled
 * sender. Nothing here decides WHAT to send; the services compute that from chain state.
 */
import { join } from "node:path";
import { explorerTxUrl, IntentJournal, type RecoveryOutcome, type TxSender } from "../../chain/index.ts";
import type { HostContext } from "../../context.ts";
import type { HostSession } from "./connect.ts";
import type { OperationPlan, PlannedTx, StepKind } from "./tx-plan.ts";

/** Key prefixes of the intents these commands send (proofs and withdrawals have their own). */
export const HOST_OP_KEY_PREFIXES = ["register:", "pricing:", "update:", "stake:", "unregister:"] as const;

/** How long one command waits for a transaction before answering TX_PENDING (the intent stays recorded). */
export const DEFAULT_TX_WAIT_MS = 5 * 60_000;
declare module "../../context.ts" {
  interface HostServices {
    /** How long one command waits for a transaction, in milliseconds (default DEFAULT_TX_WAIT_MS). */
    txWaitMs?: number;
  }
}

export function txWaitMs(context: Pick<HostContext, "services">): number {
  const value = context.services.txWaitMs;
  return typeof value === "number" && value > 0 ? value : DEFAULT_TX_WAIT_MS;
}

export interface SentTx {
  kind: StepKind;
  key: string;
  description: string;
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
  /** What the gas cost, in wei. */
  costWei: bigint;
  /** True when an earlier run had already done it (nothing was sent this time). */
  reused: boolean;
  /** The transaction in the network's block explorer, where it has one. */
  explorerUrl?: string | null;
}

export interface OperationHooks {
  /** Sees the plan before anything is signed; throws (CANCELLED, NOT_INTERACTIVE) to stop. Not called for an empty plan. */
  confirm(plan: OperationPlan): Promise<void>;
  /** Each transaction once it is confirmed. */
  progress?(tx: SentTx): void;
  /** A line for a person ("finishing 1 transaction from an earlier run"). */
  note?(text: string): void;
}

/**
 * The key to submit a step under. The base key is reused while its intent is new, failed (planned afresh) or still in
 * flight (resumed). Once confirmed, the plan asking for the same step again means the chain moved on since (the host
 * unregistered and registers again, a price was changed and is set back): the next free `#n` key is used.
 */
export function intentKeyFor(sender: Pick<TxSender, "record">, base: string): string {
  for (let n = 1; ; n += 1) {
    const key = n === 1 ? base : `${base}#${n}`;
    if (sender.record(key)?.state !== "confirmed") return key;
  }
}

/**
 * Finishes this host's unfinished host-operation intents from earlier runs before the new plan is read from chain,
 * so the plan sees their effect. Unlocks the key only when there is something to finish.
 */
export async function finishEarlierWork(context: HostContext, session: HostSession, hooks: Pick<OperationHooks, "note">): Promise<RecoveryOutcome[]> {
  const journal = new IntentJournal(join(context.paths.stateDir, "tx-journal"), session.chain.network.chainId, session.address);
  const mine = (key: string) => HOST_OP_KEY_PREFIXES.some((prefix) => key.startsWith(prefix));
  const unfinished = journal.listActive().filter((record) => mine(record.key));
  if (unfinished.length === 0) return [];
  hooks.note?.(`Finishing ${unfinished.length} transaction${unfinished.length === 1 ? "" : "s"} left by an earlier run …`);
  const sender = await session.sender();
  const outcomes = await sender.recover({ timeoutMs: txWaitMs(context) });
  return outcomes.filter((outcome) => mine(outcome.key));
}

/** Confirms, then sends every transaction of the plan; returns them in plan order. */
export async function carryOut(context: HostContext, session: HostSession, plan: OperationPlan, hooks: OperationHooks): Promise<SentTx[]> {
  if (plan.txs.length === 0) return [];
  await hooks.confirm(plan);
  const sender = await session.sender();
  const withLink = (tx: SentTx): SentTx => ({ ...tx, explorerUrl: explorerTxUrl(session.chain.network, tx.hash) });
  const sent = await sendPhases(sender, plan.txs, { timeoutMs: txWaitMs(context), progress: (tx) => hooks.progress?.(withLink(tx)) });
  return sent.map(withLink);
}

export async function sendPhases(
  sender: TxSender,
  txs: readonly PlannedTx[],
  options: { timeoutMs: number; progress?: (tx: SentTx) => void },
): Promise<SentTx[]> {
  const results = new Map<PlannedTx, SentTx>();
  const phases = [...new Set(txs.map((tx) => tx.phase))].sort((a, b) => a - b);
  for (const phase of phases) {
    const batch = txs.filter((tx) => tx.phase === phase);
    const settled = await Promise.allSettled(
      batch.map((tx) => sendOne(sender, tx, options.timeoutMs).then((sent) => (results.set(tx, sent), options.progress?.(sent), sent))),
    );
    const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    if (failure) throw failure.reason;
  }
  return txs.map((tx) => results.get(tx)!);
}

async function sendOne(sender: TxSender, tx: PlannedTx, timeoutMs: number): Promise<SentTx> {
  const key = intentKeyFor(sender, tx.key);
  const result = await sender.submit({ key, to: tx.to, data: tx.data, description: tx.description }, { timeoutMs });
  return {
    kind: tx.kind,
    key,
    description: tx.description,
    hash: result.hash,
    blockNumber: result.blockNumber,
    gasUsed: result.gasUsed,
    costWei: result.gasUsed * result.effectiveGasPrice,
    reused: result.reused,
  };
}
