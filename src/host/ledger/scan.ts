/**
 * The chain events that make a host's ledger, read for one block range in two passes:
 *   1. filtered by the host address (indexed in each of these events): SessionJobCreated(ForModel), ProofSubmitted,
 *      EarningsCredited, EarningsWithdrawn;
 *   2. the events that index only the job id, for this host's unsettled sessions, so a busy marketplace's other
 *      sessions are never downloaded: the settlements (SessionCompleted / SessionTimedOut), and how a session was
 *      opened (SessionCreatedByDepositor / SessionCreatedByDelegate, emitted beside SessionJobCreated; the delegate's
 *      event does not index the host).
 */
import { HOST_EARNINGS_ABI, JOB_MARKETPLACE_ABI } from "../../chain/abi/index.ts";
import { abiInterface, eventTopics } from "../../chain/abi/interfaces.ts";
import { addressTopic, queryLogs, uintTopic, type LogFilter, type RawLog, type RpcSend, type ScanOptions } from "./log-query.ts";
import type { LedgerEvent, SessionOrigin } from "./types.ts";

const market = () => abiInterface(JOB_MARKETPLACE_ABI);
const earnings = () => abiInterface(HOST_EARNINGS_ABI);

/** Each event's topic, hashed when first read (chain/abi/interfaces.ts). */
export const TOPICS = eventTopics({
  created: [JOB_MARKETPLACE_ABI, "SessionJobCreated"],
  createdForModel: [JOB_MARKETPLACE_ABI, "SessionJobCreatedForModel"],
  proof: [JOB_MARKETPLACE_ABI, "ProofSubmitted"],
  completed: [JOB_MARKETPLACE_ABI, "SessionCompleted"],
  timedOut: [JOB_MARKETPLACE_ABI, "SessionTimedOut"],
  byDepositor: [JOB_MARKETPLACE_ABI, "SessionCreatedByDepositor"],
  byDelegate: [JOB_MARKETPLACE_ABI, "SessionCreatedByDelegate"],
  credited: [HOST_EARNINGS_ABI, "EarningsCredited"],
  withdrawn: [HOST_EARNINGS_ABI, "EarningsWithdrawn"],
});

export interface CreatedSession {
  jobId: string;
  depositor: string;
  deposit: string;
  model: string | null;
  block: number;
  tx: string;
}

export interface SessionOpening {
  jobId: string;
  origin: Exclude<SessionOrigin, "direct">;
  delegate: string | null;
}

export interface ScanResult {
  created: CreatedSession[];
  /** Sessions opened from a deposit or by a delegate (any other created session was paid directly). */
  openings: SessionOpening[];
  events: LedgerEvent[];
}

export interface ScanTarget {
  jobMarketplace: string;
  hostEarnings: string;
  host: string;
}

/** Most job ids in one topic OR-list: endpoints cap the size of a filter. */
const IDS_PER_FILTER = 100;

export async function scanHostEvents(
  rpc: RpcSend,
  target: ScanTarget,
  from: number,
  to: number,
  unsettled: string[],
  options: ScanOptions = {},
): Promise<ScanResult> {
  const host = addressTopic(target.host);
  const first = await queryLogs(
    rpc,
    [
      { address: target.jobMarketplace, topics: [[TOPICS.created, TOPICS.createdForModel], null, null, host] },
      { address: target.jobMarketplace, topics: [TOPICS.proof, null, host] },
      { address: target.hostEarnings, topics: [[TOPICS.credited, TOPICS.withdrawn], host] },
    ],
    from,
    to,
    options,
  );
  const created = decodeCreated(first);
  const events: LedgerEvent[] = [];
  for (const log of first) {
    const base = { block: log.blockNumber, logIndex: log.logIndex, tx: log.transactionHash };
    if (log.topics[0] === TOPICS.proof) {
      const parsed = market().parseLog(log)!;
      events.push({ ...base, kind: "proof", jobId: String(parsed.args.getValue("jobId")), tokens: String(parsed.args.getValue("tokensClaimed")) });
    } else if (log.topics[0] === TOPICS.credited || log.topics[0] === TOPICS.withdrawn) {
      const parsed = earnings().parseLog(log)!;
      const kind = log.topics[0] === TOPICS.credited ? ("credited" as const) : ("withdrawn" as const);
      events.push({ ...base, kind, token: String(parsed.args.getValue("token")), amount: String(parsed.args.getValue("amount")), time: null });
    }
  }

  // Proofs name sessions too: one created before the first scanned block is still settled and paid in range.
  const proved = events.flatMap((e) => (e.kind === "proof" ? [e.jobId] : []));
  const ids = [...new Set([...unsettled, ...created.map((c) => c.jobId), ...proved])];
  const filters: LogFilter[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_FILTER) {
    const topics = [[TOPICS.completed, TOPICS.timedOut, TOPICS.byDepositor, TOPICS.byDelegate], ids.slice(i, i + IDS_PER_FILTER).map(uintTopic)];
    filters.push({ address: target.jobMarketplace, topics });
  }
  const byJob = await queryLogs(rpc, filters, from, to, options);
  const isOpening = (log: RawLog) => log.topics[0] === TOPICS.byDepositor || log.topics[0] === TOPICS.byDelegate;
  events.push(...decodeSettlements(byJob.filter((log) => !isOpening(log))));
  const openings = byJob.filter(isOpening).map(decodeOpening);
  return { created, openings, events: events.sort((a, b) => a.block - b.block || a.logIndex - b.logIndex) };
}

/** SessionJobCreated and SessionJobCreatedForModel describe the same session; the latter adds the model. */
function decodeCreated(logs: RawLog[]): CreatedSession[] {
  const byJob = new Map<string, CreatedSession>();
  for (const log of logs) {
    if (log.topics[0] !== TOPICS.created && log.topics[0] !== TOPICS.createdForModel) continue;
    const parsed = market().parseLog(log)!;
    const jobId = String(parsed.args.getValue("jobId"));
    const entry = byJob.get(jobId) ?? {
      jobId,
      depositor: String(parsed.args.getValue("depositor")),
      deposit: String(parsed.args.getValue("deposit")),
      model: null,
      block: log.blockNumber,
      tx: log.transactionHash,
    };
    if (log.topics[0] === TOPICS.createdForModel) entry.model = String(parsed.args.getValue("modelId"));
    byJob.set(jobId, entry);
  }
  return [...byJob.values()];
}

function decodeOpening(log: RawLog): SessionOpening {
  const parsed = market().parseLog(log)!;
  const jobId = String(parsed.args.getValue("sessionId"));
  if (log.topics[0] === TOPICS.byDepositor) return { jobId, origin: "deposit", delegate: null };
  return { jobId, origin: "delegate", delegate: String(parsed.args.getValue("delegate")) };
}

/**
 * One settlement per job. A timeout may also emit SessionCompleted in the same transaction (the devnet does): the
 * pair is one timed-out settlement, with the token count from SessionCompleted.
 */
function decodeSettlements(logs: RawLog[]): LedgerEvent[] {
  const byJob = new Map<string, Extract<LedgerEvent, { kind: "settled" }>>();
  for (const log of logs) {
    const parsed = market().parseLog(log)!;
    const jobId = String(parsed.args.getValue("jobId"));
    const timedOut = log.topics[0] === TOPICS.timedOut;
    const existing = byJob.get(jobId);
    const entry = existing ?? {
      kind: "settled" as const,
      jobId,
      outcome: "completed" as const,
      tokensUsed: "",
      hostEarnings: "0",
      refund: "0",
      block: log.blockNumber,
      logIndex: log.logIndex,
      tx: log.transactionHash,
      time: null,
    };
    if (timedOut) entry.outcome = "timed_out";
    else entry.tokensUsed = String(parsed.args.getValue("totalTokensUsed"));
    entry.hostEarnings = String(parsed.args.getValue("hostEarnings"));
    entry.refund = String(parsed.args.getValue("userRefund"));
    byJob.set(jobId, entry);
  }
  return [...byJob.values()];
}
