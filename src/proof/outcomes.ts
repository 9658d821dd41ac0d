/**
 * What the pipeline writes on a session's record when a pass does not simply go on: a failed proof or settlement step
 * (retried with backoff, or given up), proofs stopped for good, a session finished. Kept apart from pipeline.ts, which
 * decides what is due; these only record the outcome, alert and report it.
 */
import type { OnChainSession } from "./chain-port.ts";
import type { SessionRecord } from "./journal.ts";
import type { PipelineOptions } from "./pipeline-types.ts";
import { classifyProofFailure } from "./classify.ts";
import { burnHash } from "./resume.ts";

export interface OutcomeDeps {
  options: PipelineOptions;
  /** The pipeline's open records: a finished session leaves them. */
  records: Map<string, SessionRecord>;
  /** The pipeline's cached on-chain sessions: a failure drops its job's, so the next pass reads the chain. */
  sessions: Map<string, OnChainSession>;
  later(sessionId: string, atMs: number): void;
  persist(record: SessionRecord): void;
}

/** Shared by proofs and settlements. */
export function failStep(deps: OutcomeDeps, record: SessionRecord, error: Error, key: string): void {
  const { options } = deps;
  const message = error.message;
  const verdict = classifyProofFailure(error);
  // Only a permanent failure ends a proof step: after any other, the intent may still be live in the chain layer (a
  // transaction sent before the RPC failed), so the step stays "sending" and pendingProof() carries it through.
  record.proofs = record.proofs.map((p) => (p.key === key ? { ...p, state: verdict === "permanent" ? "failed" : p.state, error: message.slice(0, 300) } : p));
  burnHash(record, key, message);
  deps.sessions.delete(record.jobId ?? "");
  if (verdict === "permanent") return stopProofs(deps, record, message);
  // Every other failure passes again, re-reading the chain first (attempts > 0), and carries on from what it says.
  record.attempts++;
  const { base, max } = options.backoffMs ?? { base: 1000, max: 60_000 };
  if (record.attempts > (options.maxAttempts ?? 50)) return stopProofs(deps, record, `gave up after ${record.attempts - 1} attempts: ${message}`);
  const delay = Math.min(max, base * 2 ** Math.min(record.attempts - 1, 16)) * (0.5 + Math.random() / 2);
  // "done" (someone else got there) is usually settled by one fresh read, at once; only a repeat backs off, so a
  // chain that keeps saying so without showing it cannot spin the pipeline.
  record.nextAttemptAt = options.clock.now() + (verdict === "wait" ? Math.max(delay, 1000) : verdict === "done" && record.attempts === 1 ? 0 : delay);
  deps.later(record.sessionId, record.nextAttemptAt);
  options.logger.warn("proof step failed", { sessionId: record.sessionId, jobId: record.jobId, verdict, error: message });
  options.onMetric?.({ type: "proof_failed", jobId: record.jobId ?? "", reason: message.slice(0, 120), permanent: false });
  deps.persist(record);
}

export function stopProofs(deps: OutcomeDeps, record: SessionRecord, reason: string): void {
  const { options } = deps;
  record.stopped = { reason, at: options.clock.now() };
  deps.persist(record);
  options.logger.error("proofs stopped for a session", { sessionId: record.sessionId, jobId: record.jobId, reason });
  options.onAlert?.("proof_failed", `Proofs for job ${record.jobId ?? "?"} stopped: ${reason}`, { sessionId: record.sessionId, jobId: record.jobId });
  options.onMetric?.({ type: "proof_failed", jobId: record.jobId ?? "", reason: reason.slice(0, 120), permanent: true });
}

export function finishSession(deps: OutcomeDeps, record: SessionRecord, by: "cli" | "node" | "other", status: string): void {
  record.finished = true;
  if (record.settlement?.state !== "landed")
    record.settlement = {
      key: `settled:${record.jobId}`,
      kind: status === "timed_out" ? "timeout" : "complete",
      state: "by-other",
      at: deps.options.clock.now(),
    };
  deps.persist(record);
  deps.records.delete(record.sessionId);
  deps.options.onMetric?.({ type: "settled", jobId: record.jobId ?? "", by, kind: status });
}
