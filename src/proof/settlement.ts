/**
 * Settling an ended session: `completeSessionJob` once the dispute window allows it (the node's job first, in node
 * mode, for a grace period), or `triggerSessionTimeout` where completion is no longer possible but the contract allows a
 * timeout. Either way the proven work is paid; a settlement someone else already made is recognised, not repeated.
 */
import type { OnChainSession } from "./chain-port.ts";
import type { SessionRecord } from "./journal.ts";
import type { PipelineOptions } from "./pipeline-types.ts";
import { completeAllowedAt, timeoutAllowed, timeoutAllowedAt } from "./rules.ts";
import { nodeGraceMs, nodeSettlesBy } from "./node-first.ts";

interface SettlementDeps {
  options: PipelineOptions;
  chainNow(): Promise<number>;
  later(sessionId: string, atMs: number): void;
  persist(record: SessionRecord): void;
  finish(record: SessionRecord, by: "cli" | "node" | "other", status: string): void;
  onFailure(record: SessionRecord, error: Error, key: string): void;
  disputeWindow(): Promise<number>;
}

export async function settle(deps: SettlementDeps, record: SessionRecord, session: OnChainSession, nodeActsFirst: boolean): Promise<void> {
  const { options } = deps;
  const now = options.clock.now();
  const window = await deps.disputeWindow();
  const grace = nodeGraceMs(options.graceMs, window);
  if (nodeActsFirst && now - (record.endedAt ?? now) < grace) return deps.later(record.sessionId, (record.endedAt ?? now) + grace);
  const chainNow = await deps.chainNow();
  const allowedAt = completeAllowedAt(session.startTime, session.lastProofTime, window);
  // The node completes its sessions itself a few seconds after the window: the CLI does it only once that time passed.
  if (nodeActsFirst && chainNow < nodeSettlesBy(allowedAt)) return deps.later(record.sessionId, now + (nodeSettlesBy(allowedAt) - chainNow) * 1000 + 250);
  // A session cut off by our own restart may be resumed by its client (resume.ts): it is given as long as the node gets
  // for its proofs, and at least the dispute window, to come back — unless anyone may already time it out.
  if (record.endReason === "host_restarted") {
    const resumeBy = (record.endedAt ?? now) + Math.max(window * 1000, options.graceMs);
    if (now < resumeBy && !timeoutAllowed(session, chainNow)) return deps.later(record.sessionId, resumeBy);
  }
  const found = record.endReason === "found_on_chain";
  const useTimeout = found && timeoutAllowed(session, chainNow);
  // A job found on chain with nothing proven may be one a client has just opened and is about to use (it connects
  // after our restart): completing it would end that session under the client. It is left to its session, which takes
  // it over, or to the timeout; either way nothing proven goes unpaid.
  if (found && !useTimeout && session.tokensUsed === 0) return deps.later(record.sessionId, now + (timeoutAllowedAt(session) - chainNow) * 1000 + 250);
  if (!useTimeout && chainNow < allowedAt) return deps.later(record.sessionId, now + (allowedAt - chainNow) * 1000 + 250);
  if (record.finished || record.stopped) return; // taken over (or stopped) while we were reading the chain
  // Whoever settles first (the node, the client, a timeout), the chain says so: read it right before sending, so no
  // settlement is sent to revert on a session that is no longer active.
  const latest = await options.chain.readSession(record.jobId!);
  if (latest?.status !== "active") return deps.finish(record, "other", latest?.status ?? "completed");
  if (record.finished || record.stopped) return;
  const kind = useTimeout ? "timeout" : "complete";
  const key = `${kind}:${record.jobId}`;
  record.settlement = { key, kind, state: "sending", at: now };
  deps.persist(record);
  try {
    const { txHash } = useTimeout
      ? await options.chain.triggerTimeout({ key, jobId: record.jobId! })
      : await options.chain.completeSession({ key, jobId: record.jobId!, conversationCID: "" });
    record.settlement = { key, kind, state: "landed", txHash, at: options.clock.now() };
    options.logger.info("session settled", { sessionId: record.sessionId, jobId: record.jobId, kind, txHash });
    deps.finish(record, "cli", kind === "timeout" ? "timed_out" : "completed");
  } catch (error) {
    deps.onFailure(record, error as Error, key);
  }
}
