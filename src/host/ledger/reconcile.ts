/**
 * Brings the ledger cache up to the chain head: reads only the blocks since the last scan (plus a reorg margin that
 * is read again every time), checks that the block it called final is still on the chain (else rebuilds), and fills
 * in what events do not carry (a session's payment token and start, block times). `earnings` calls it before showing
 * the ledger; the running host calls it periodically (see reconcile-loop.ts) to keep the ledger and metrics current.
 */
import { toQuantity } from "ethers";
import { JOB_MARKETPLACE_ABI } from "../../chain/abi/index.ts";
import { decodeResult, encodeCall } from "../../chain/abi/interfaces.ts";
import type { ResolvedNetwork } from "../../chain/networks.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import { systemClock, type Clock } from "../../util/clock.ts";
import type { RpcSend, ScanOptions } from "./log-query.ts";
import { scanHostEvents } from "./scan.ts";
import { findDeploymentBlock } from "./start-block.ts";
import { emptyLedger, loadLedger, saveLedger, type LedgerIdentity } from "./store.ts";
import type { LedgerEvent, LedgerFile } from "./types.ts";

export const DEFAULT_REORG_MARGIN = 5;

export interface ReconcileDeps {
  /** The chain client's provider (its `send` batches calls issued together). */
  rpc: RpcSend;
  network: Pick<ResolvedNetwork, "name" | "chainId" | "contracts">;
  host: string;
  stateDir: string;
  logger?: Logger;
  clock?: Clock;
  /** Blocks below the head read again at every run, in case they were reorganised (default 5). */
  reorgMargin?: number;
  /** First block of a first scan (default: the marketplace's deployment block; 0 on the local devnet). */
  fromBlock?: number;
  scan?: ScanOptions;
}

export interface ReconcileResult {
  ledger: LedgerFile;
  /** The block range read by this run. */
  from: number;
  to: number;
  /** True when there was no usable cache (first run, other deployment, deep reorg). */
  rebuilt: boolean;
  /** What this run found that the cache did not have: feed counters (proofs, tokens, credited per token address). */
  added: { proofs: number; tokensProved: bigint; credited: Record<string, bigint>; withdrawn: Record<string, bigint> };
}

type Block = { number: string; hash: string; timestamp: string } | null;

export async function reconcile(deps: ReconcileDeps): Promise<ReconcileResult> {
  const margin = Math.max(0, deps.reorgMargin ?? DEFAULT_REORG_MARGIN);
  const identity: LedgerIdentity = { chainId: deps.network.chainId, host: deps.host, contracts: deps.network.contracts };
  let cached = loadLedger(deps.stateDir, identity);

  const [head, anchorBlock] = (await Promise.all([
    deps.rpc.send("eth_getBlockByNumber", ["latest", false]),
    cached?.anchor ? deps.rpc.send("eth_getBlockByNumber", [toQuantity(cached.anchor.number), false]) : Promise.resolve(null),
  ])) as [Block, Block];
  const latest = Number(BigInt(head!.number));
  if (cached?.anchor && (!anchorBlock || anchorBlock.hash !== cached.anchor.hash)) {
    deps.logger?.warn("the earnings ledger's last final block is no longer on the chain (reorg or another chain); rebuilding", { anchor: cached.anchor });
    cached = null;
  }
  if (cached && cached.scannedTo > latest) cached = null; // a chain that went backwards (a reset devnet)

  const before = new Set(cached?.events.map(eventKey) ?? []);
  const startBlock =
    cached?.startBlock ??
    deps.fromBlock ??
    (deps.network.name === "local" ? 0 : await findDeploymentBlock(deps.rpc, deps.network.contracts.jobMarketplace, latest, deps.logger));
  const file: LedgerFile = cached ?? emptyLedger(identity, startBlock);
  const from = Math.max(file.startBlock, file.scannedTo - margin + 1);
  const to = latest;

  // Forget what the range will tell again, so a reorganised block's events are replaced, not doubled.
  file.events = file.events.filter((e) => e.block < from);
  for (const [id, session] of Object.entries(file.sessions)) if (session.createdBlock >= from) delete file.sessions[id];
  const settled = new Set(file.events.flatMap((e) => (e.kind === "settled" ? [e.jobId] : [])));
  const unsettled = Object.keys(file.sessions).filter((id) => !settled.has(id));

  const scan = await scanHostEvents(
    deps.rpc,
    { jobMarketplace: deps.network.contracts.jobMarketplace, hostEarnings: deps.network.contracts.hostEarnings, host: deps.host },
    from,
    to,
    unsettled,
    deps.scan,
  );
  const openings = new Map(scan.openings.map((o) => [o.jobId, o]));
  for (const { block, tx, ...created } of scan.created) {
    const opening = openings.get(created.jobId);
    const origin = opening?.origin ?? "direct";
    file.sessions[created.jobId] = {
      ...created,
      origin,
      delegate: opening?.delegate ?? null,
      token: null,
      pricePerToken: null,
      proofInterval: null,
      openedAt: null,
      createdBlock: block,
      createdTx: tx,
    };
  }
  file.events.push(...scan.events);
  file.events.sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);

  await fillDetails(deps.rpc, deps.network.contracts.jobMarketplace, file, Math.max(file.startBlock, to - margin));
  file.scannedTo = to;
  file.updatedAt = (deps.clock ?? systemClock).now();
  saveLedger(deps.stateDir, file);
  return { ledger: file, from, to, rebuilt: !cached, added: addedSince(before, file.events) };
}

/**
 * One batch: the terms of sessions not yet described (also those known only from a proof, created before the
 * first scanned block), the times of blocks with money movements, and the hash of the new anchor block.
 */
async function fillDetails(rpc: RpcSend, marketplace: string, file: LedgerFile, anchorNumber: number): Promise<void> {
  const referenced = file.events.flatMap((e) => (e.kind === "proof" || e.kind === "settled" ? [e.jobId] : []));
  // A cache written before proofInterval was kept has none: read those sessions' terms once more.
  const unread = Object.values(file.sessions).filter((s) => s.token === null || s.proofInterval == null);
  const undescribed = [...new Set([...unread.map((s) => s.jobId), ...referenced.filter((id) => !file.sessions[id])])];
  const timeless = [...new Set(file.events.filter((e) => e.kind !== "proof" && e.time === null).map((e) => e.block))];

  const call = (id: string) => rpc.send("eth_call", [{ to: marketplace, data: encodeCall(JOB_MARKETPLACE_ABI, "sessionJobs", [id]) }, "latest"]);
  const block = (n: number) => rpc.send("eth_getBlockByNumber", [toQuantity(n), false]) as Promise<Block>;
  const [jobs, times, anchor] = await Promise.all([Promise.all(undescribed.map(call)), Promise.all(timeless.map(block)), block(anchorNumber)]);

  undescribed.forEach((id, i) => {
    const job = decodeResult(JOB_MARKETPLACE_ABI, "sessionJobs", String(jobs[i]));
    const known = file.sessions[id];
    file.sessions[id] = {
      jobId: id,
      depositor: known?.depositor ?? String(job.getValue("depositor")),
      deposit: known?.deposit ?? String(job.getValue("deposit")),
      model: known?.model ?? null,
      origin: known ? (known.origin ?? null) : null,
      delegate: known?.delegate ?? null,
      proofInterval: String(job.getValue("proofInterval")),
      createdBlock: known?.createdBlock ?? -1, // before the first scanned block
      createdTx: known?.createdTx ?? "",
      token: String(job.getValue("paymentToken")),
      pricePerToken: String(job.getValue("pricePerToken")),
      openedAt: Number(job.getValue("startTime")),
    };
  });
  const timeOf = new Map(timeless.map((n, i) => [n, times[i] ? Number(BigInt(times[i]!.timestamp)) : null]));
  for (const event of file.events) if (event.kind !== "proof" && event.time === null) event.time = timeOf.get(event.block) ?? null;
  file.anchor = anchor ? { number: anchorNumber, hash: anchor.hash } : null;
}

function eventKey(event: LedgerEvent): string {
  return `${event.tx}:${event.logIndex}:${event.kind}`;
}

function addedSince(before: Set<string>, events: LedgerEvent[]): ReconcileResult["added"] {
  const added: ReconcileResult["added"] = { proofs: 0, tokensProved: 0n, credited: {}, withdrawn: {} };
  for (const event of events) {
    if (before.has(eventKey(event))) continue;
    if (event.kind === "proof") {
      added.proofs += 1;
      added.tokensProved += BigInt(event.tokens);
    } else if (event.kind === "credited" || event.kind === "withdrawn") {
      const bucket = added[event.kind];
      const token = event.token.toLowerCase();
      bucket[token] = (bucket[token] ?? 0n) + BigInt(event.amount);
    }
  }
  return added;
}
