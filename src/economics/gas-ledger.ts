/**
 * Brings the gas ledger up to date: gathers the host's transactions (gas-discover.ts), reads the receipt of each one
 * not yet in the ledger (one batch), keeps those sent from the host's address, and saves the file. A transaction found
 * both in the journal and in an event is counted once, with the journal's kind (it knows why it was sent).
 */
import { join } from "node:path";
import { toQuantity } from "ethers";
import type { RpcSend, ScanOptions } from "../host/ledger/log-query.ts";
import type { LedgerFile } from "../host/ledger/types.ts";
import { systemClock, type Clock } from "../util/clock.ts";
import { journalCandidates, ledgerCandidates, registryCandidates } from "./gas-discover.ts";
import { emptyGasLedger, loadGasLedger, saveGasLedger } from "./gas-store.ts";
import type { GasCandidate, GasLedgerFile } from "./gas-types.ts";
import { feeOfReceipt, type RawReceipt } from "./receipt-fee.ts";

export interface GasSyncDeps {
  rpc: RpcSend;
  chainId: number;
  contracts: { nodeRegistry: string; fabToken: string };
  host: string;
  stateDir: string;
  /** The earnings ledger just reconciled: its events name the node's proofs and settlements, its range bounds the scan. */
  ledger: LedgerFile;
  /** The earnings ledger was rebuilt (reorg, other deployment): the gas ledger is rebuilt too. */
  rebuilt?: boolean;
  clock?: Clock;
  scan?: ScanOptions;
  /** Blocks below the last scan read again (reorg margin), default 5. */
  reorgMargin?: number;
}

export async function syncGasLedger(deps: GasSyncDeps): Promise<GasLedgerFile> {
  const cached = deps.rebuilt ? null : loadGasLedger(deps.stateDir, deps.chainId, deps.host);
  const file = cached ?? emptyGasLedger(deps.chainId, deps.host);
  const from = Math.max(deps.ledger.startBlock, file.registryScannedTo - (deps.reorgMargin ?? 5) + 1);
  const to = deps.ledger.scannedTo;
  const registry = await registryCandidates(deps.rpc, { ...deps.contracts, host: deps.host }, from, to, deps.scan);

  const candidates = new Map<string, GasCandidate>();
  // Journal last: its kind wins over the event's.
  for (const c of [...registry, ...ledgerCandidates(deps.ledger), ...journalCandidates(join(deps.stateDir, "tx-journal"), deps.chainId, deps.host)]) {
    const known = candidates.get(c.hash);
    candidates.set(c.hash, known && c.source === "event" ? known : { ...c, jobId: c.jobId ?? known?.jobId ?? null });
  }
  const foreign = new Set(file.foreign);
  const wanted = [...candidates.values()].filter(
    (c) => !foreign.has(c.hash) && (!file.entries[c.hash] || (c.source === "journal" && file.entries[c.hash]!.source === "event")),
  );

  const receipts = (await Promise.all(wanted.map((c) => deps.rpc.send("eth_getTransactionReceipt", [c.hash])))) as (RawReceipt | null)[];
  const host = deps.host.toLowerCase();
  wanted.forEach((candidate, i) => {
    const receipt = receipts[i];
    if (!receipt) return; // not mined (yet), or reorganised away: looked up again next time
    const fee = feeOfReceipt(receipt);
    if (fee.from !== host) {
      foreign.add(candidate.hash);
      return;
    }
    file.entries[candidate.hash] = {
      hash: candidate.hash,
      block: fee.block,
      kind: candidate.kind,
      jobId: candidate.jobId,
      status: fee.status,
      gasUsed: fee.gasUsed.toString(),
      effectiveGasPrice: fee.effectiveGasPrice.toString(),
      l1Fee: fee.l1Fee.toString(),
      feeWei: fee.feeWei.toString(),
      source: candidate.source,
      time: file.entries[candidate.hash]?.time ?? null,
    };
  });

  const timeless = [
    ...new Set(
      Object.values(file.entries)
        .filter((e) => e.time === null)
        .map((e) => e.block),
    ),
  ];
  const blocks = (await Promise.all(timeless.map((n) => deps.rpc.send("eth_getBlockByNumber", [toQuantity(n), false])))) as ({ timestamp: string } | null)[];
  const timeOf = new Map(timeless.map((n, i) => [n, blocks[i] ? Number(BigInt(blocks[i]!.timestamp)) : null]));
  for (const entry of Object.values(file.entries)) if (entry.time === null) entry.time = timeOf.get(entry.block) ?? null;

  file.foreign = [...foreign];
  file.registryScannedTo = Math.max(file.registryScannedTo, to);
  file.updatedAt = (deps.clock ?? systemClock).now();
  saveGasLedger(deps.stateDir, file);
  return file;
}
