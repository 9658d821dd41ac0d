/**
 * Node mode (`node.signer = "node"`): the node proves and settles its own sessions, the CLI is the safety net. Two
 * rules keep a token from being billed twice:
 *  - while the node that served a session still knows it, the CLI proves only the node's own checkpoints, with the
 *    node's proof hash: if the node's submission of that checkpoint lands later, the marketplace refuses it ("Proof
 *    already used", the ProofSystem marks every hash once), so whichever lands first is the only one. The CLI never
 *    makes up a proof for tokens the node may still prove itself.
 *  - the CLI claims what the node can no longer prove only once the node lost the session: it died with it (its socket
 *    closed under the client), the host restarted, or the node no longer knows the session at all.
 * How long the node gets is `proofs.graceSeconds`, capped by the chain's dispute window: the node completes a session at
 * lastProofTime + disputeWindow + 5 s (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:32,1594), and a
 * proof that lands after that completion is lost, so the CLI steps in well before it.
 */
import type { FetchFn } from "../context.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import type { OnChainSession, ProofMaterial } from "./chain-port.ts";
import type { SessionRecord } from "./journal.ts";
import { readNodeCheckpoints, type CheckpointIndex } from "./material.ts";
import { MIN_PROVEN_TOKENS, checkpointInterval, type Claim } from "./rules.ts";

/** The node's settle delay past the dispute window (checkpoint_manager.rs:32, DISPUTE_WINDOW_BUFFER_SECS). */
export const NODE_COMPLETION_BUFFER_SECONDS = 5;
/** The grace never goes below a second: the node's own proof needs a block, and racing it only costs a refused send. */
const MIN_GRACE_MS = 1000;

/** The node's grace: the configured one, but at most half the dispute window, so the CLI proves before anyone may complete. */
export function nodeGraceMs(graceMs: number, disputeWindowSeconds: number): number {
  return Math.min(graceMs, Math.max(MIN_GRACE_MS, (disputeWindowSeconds * 1000) / 2));
}

/**
 * When the CLI proves a claim the node left due: a grace after it fell due. For a session that ended, never later than
 * halfway through the dispute window after the chain's last proof, on the chain's clock: from the window's end the node
 * may complete the job, and a proof after that is lost. Counting only from when this process noticed the claim would
 * spend that margin on a slow pass. Local milliseconds.
 */
export function stepInAt(
  due: { since: number; graceMs: number; ended: boolean },
  session: Pick<OnChainSession, "lastProofTime" | "startTime">,
  clocks: { windowSeconds: number; chainNow: number; now: number },
): number {
  const afterGrace = due.since + due.graceMs;
  if (!due.ended) return afterGrace;
  const halfway = Math.max(session.lastProofTime, session.startTime) + clocks.windowSeconds / 2;
  return Math.min(afterGrace, clocks.now + (halfway - clocks.chainNow) * 1000);
}

/** When the CLI settles a session the node should have settled: after the node's own completion time has passed. */
export function nodeSettlesBy(completeAllowedAt: number): number {
  return completeAllowedAt + NODE_COMPLETION_BUFFER_SECONDS;
}

export type StepIn = Claim & { material?: ProofMaterial };

const NONE: StepIn = { tokens: 0, padding: 0 };

/**
 * The claim the CLI may make for a node that still knows the session: the node's next checkpoint past what the chain
 * has proven, with its material; nothing when the node has not made that checkpoint (it will prove it itself, or it
 * judged the tokens unprovable). Checkpoint counts are the node's served totals; `padding` (an earlier padded first
 * claim) is what the chain's total holds beyond them. A session's first claim must cover its proofInterval ("Low
 * first"): the node's last checkpoint of an ended session is padded to it, as the node does (checkpoint_manager.rs:1229-1236).
 */
export function nodeCheckpointStep(index: CheckpointIndex, record: SessionRecord, session: OnChainSession, padding: number): StepIn {
  // The node's counts start where it took the session over (resume.ts); a tail the node before it left unproven
  // (under 100 tokens) rides along with the node's next checkpoint.
  const provenServed = session.tokensUsed - padding - (record.nodeBase ?? 0);
  const next = index.checkpoints.filter((c) => c.tokens > provenServed).sort((a, b) => a.tokens - b.tokens)[0];
  if (!next) return NONE;
  const tokens = next.tokens - provenServed;
  if (tokens < MIN_PROVEN_TOKENS) return NONE;
  const interval = checkpointInterval(session.proofInterval);
  // A hash the chain already refused is left to submit(), which proves the checkpoint with material of its own.
  const material = record.burnedHashes?.includes(next.material.proofHash.toLowerCase()) ? undefined : next.material;
  if (session.tokensUsed > 0 || tokens >= interval) return { tokens, padding: 0, material };
  const last = Math.max(...index.checkpoints.map((c) => c.tokens));
  if (!record.ended || next.tokens !== last) return NONE;
  return { tokens: interval, padding: interval - tokens, material };
}

/**
 * Past the node's grace: the node's own next checkpoint, or everything due once the node has not known an ended
 * session (restarted without its index, or gone) for a whole grace period. `waitUntil` = look again then; a claim of 0 =
 * nothing the CLI may prove (the node will, or it is unprovable).
 */
export class NodeWatch {
  private readonly missingSince = new Map<string, number>();

  constructor(private readonly options: { fetch: FetchFn; nodeUrl: string; clock: { now(): number }; logger: Logger }) {}

  async step(record: SessionRecord, session: OnChainSession, padding: number, due: StepIn, graceMs: number): Promise<StepIn | { waitUntil: number }> {
    const now = this.options.clock.now();
    const index = await readNodeCheckpoints(this.options.fetch, this.options.nodeUrl, record.sessionId);
    if (index && (index.jobId === undefined || index.jobId === record.jobId)) {
      this.missingSince.delete(record.sessionId);
      const step = nodeCheckpointStep(index, record, session, padding);
      return step.tokens > 0 || record.ended ? step : { waitUntil: now + graceMs };
    }
    // Mid-session a node that does not answer is still serving (or its socket would have closed): it proves later.
    const since = this.missingSince.get(record.sessionId) ?? now;
    this.missingSince.set(record.sessionId, since);
    if (!record.ended || now - since < graceMs) return { waitUntil: now + graceMs };
    this.options.logger.warn("the node no longer knows an ended session; the CLI proves what it served", { sessionId: record.sessionId, jobId: record.jobId });
    return due;
  }
}
