/**
 * Where the gas ledger finds the host's transactions:
 *   - the CLI's transaction journal (everything the CLI sent, reverted ones included, with its purpose in the key);
 *   - the earnings ledger's events (ProofSubmitted, settlements, EarningsWithdrawn): in node mode the node sends the
 *     proofs and settlements itself from the host's address, so they are in no journal of ours. Each is kept only
 *     when its receipt's `from` is the host (a client may settle or time out a session too);
 *   - the NodeRegistry events indexed by the operator and the host's FAB approvals and stake transfers, so that
 *     registration, pricing and updates are found again after the journal is lost.
 * A transaction that reverted emitted no event: only the journal knows of it.
 */
import { ERC20_ABI, NODE_REGISTRY_ABI } from "../chain/abi/index.ts";
import { eventTopic, eventTopics } from "../chain/abi/interfaces.ts";
import { IntentJournal } from "../chain/tx/journal.ts";
import { addressTopic, queryLogs, type RawLog, type RpcSend, type ScanOptions } from "../host/ledger/log-query.ts";
import type { LedgerFile } from "../host/ledger/types.ts";
import { kindOfIntent } from "./gas-kinds.ts";
import type { GasCandidate, GasKind } from "./gas-types.ts";

/** What each NodeRegistry event of the operator says was paid for. */
const REGISTRY_EVENTS: Record<string, GasKind> = {
  NodeRegistered: "register",
  NodeUnregistered: "unregister",
  ModelTokenPricingUpdated: "pricing",
  ApiUrlUpdated: "update",
  MetadataUpdated: "update",
  ModelsUpdated: "update",
};
/** The same by topic, computed on first use (chain/abi/interfaces.ts). */
let registryKinds: Record<string, GasKind> | undefined;
const registryKind = () =>
  (registryKinds ??= Object.fromEntries(Object.entries(REGISTRY_EVENTS).map(([name, kind]) => [eventTopic(NODE_REGISTRY_ABI, name), kind])));
const TOKEN_TOPICS = eventTopics({ approval: [ERC20_ABI, "Approval"], transfer: [ERC20_ABI, "Transfer"] });
/** When one transaction emitted several of these, the first kind in this list names it. */
const PRIORITY: GasKind[] = ["register", "unregister", "pricing", "update", "stake", "approve"];

/** Mined intents of the journal (confirmed, or failed after mining with a reverted receipt). */
export function journalCandidates(journalRoot: string, chainId: number, host: string): GasCandidate[] {
  const journal = new IntentJournal(journalRoot, chainId, host);
  const out: GasCandidate[] = [];
  for (const record of [...journal.listDone(), ...journal.listActive()]) {
    if (!record.receipt) continue;
    const { kind, jobId } = kindOfIntent(record);
    out.push({ hash: record.receipt.hash.toLowerCase(), kind, jobId, source: "journal" });
  }
  return out;
}

/** The host's proofs, settlements and withdrawals, from the earnings ledger's events. */
export function ledgerCandidates(ledger: LedgerFile): GasCandidate[] {
  const out: GasCandidate[] = [];
  for (const event of ledger.events) {
    const hash = event.tx.toLowerCase();
    if (event.kind === "proof") out.push({ hash, kind: "proof", jobId: event.jobId, source: "event" });
    else if (event.kind === "settled") out.push({ hash, kind: event.outcome === "timed_out" ? "timeout" : "settlement", jobId: event.jobId, source: "event" });
    else if (event.kind === "withdrawn") out.push({ hash, kind: "withdraw", jobId: null, source: "event" });
  }
  return out;
}

export interface RegistryTarget {
  nodeRegistry: string;
  fabToken: string;
  host: string;
}

/** Registration, stake, pricing and update transactions of the host in [from, to], found by their events. */
export async function registryCandidates(rpc: RpcSend, target: RegistryTarget, from: number, to: number, options: ScanOptions = {}): Promise<GasCandidate[]> {
  const host = addressTopic(target.host);
  const logs = await queryLogs(
    rpc,
    [
      { address: target.nodeRegistry, topics: [Object.keys(registryKind()), host] },
      { address: target.fabToken, topics: [TOKEN_TOPICS.approval, host] },
      { address: target.fabToken, topics: [TOKEN_TOPICS.transfer, host, addressTopic(target.nodeRegistry)] },
    ],
    from,
    to,
    options,
  );
  const byTx = new Map<string, GasKind>();
  for (const log of logs) {
    const kind = kindOfLog(log);
    const hash = log.transactionHash.toLowerCase();
    const known = byTx.get(hash);
    if (!known || PRIORITY.indexOf(kind) < PRIORITY.indexOf(known)) byTx.set(hash, kind);
  }
  return [...byTx].map(([hash, kind]) => ({ hash, kind, jobId: null, source: "event" as const }));
}

function kindOfLog(log: RawLog): GasKind {
  if (log.topics[0] === TOKEN_TOPICS.approval) return "approve";
  if (log.topics[0] === TOKEN_TOPICS.transfer) return "stake";
  return registryKind()[log.topics[0]!] ?? "update";
}
