/**
 * Sending one claim: the step (key, claim, material) is journaled before anything is signed, then sent through the
 * chain port under its idempotency key; a landed proof moves the record and the cached session on. Failures go back to
 * the pipeline, which decides what comes next (classify.ts).
 */
import type { OnChainSession } from "./chain-port.ts";
import type { ProofStep, SessionRecord } from "./journal.ts";
import type { PipelineOptions } from "./pipeline-types.ts";
import type { StepIn } from "./node-first.ts";
import { readNodeCheckpoints } from "./material.ts";
import { claimMaterial } from "./claim-material.ts";
import { markLanded, paddingOf } from "./minimum-billing.ts";

export interface SubmitContext {
  options: PipelineOptions;
  /** When each session's current checkpoint fell due (the overhead metric). */
  dueAt: Map<string, number>;
  /** Jobs whose cached lastProofTime is only our estimate: read from the chain before the next decision. */
  staleTimes: Set<string>;
  persist(record: SessionRecord): void;
  onFailure(record: SessionRecord, error: Error, key: string): void;
}

export async function submitClaim(
  ctx: SubmitContext,
  record: SessionRecord,
  session: OnChainSession,
  due: StepIn,
  chainNow: number,
  again?: ProofStep,
): Promise<void> {
  const { options } = ctx;
  const jobId = record.jobId!;
  const claim = due.tokens;
  const cumulative = again?.cumulative ?? record.proven + claim;
  const key = `proof:${jobId}:${cumulative}`;
  const known = again?.material ?? due.material;
  const index =
    !known && (record.encrypted || options.signer === "node") ? await readNodeCheckpoints(options.fetch, options.nodeUrl, record.sessionId) : undefined;
  // The material is journaled with the step: sent again, the intent must be byte for byte the same.
  const material = known ?? claimMaterial(record, index, cumulative - paddingOf(record) - due.padding);
  const step: ProofStep = {
    key,
    tokens: claim,
    cumulative,
    state: "sending",
    by: "cli",
    at: options.clock.now(),
    material,
    ...(due.padding > 0 ? { padding: due.padding } : {}),
  };
  record.proofs = [...record.proofs.filter((p) => p.key !== key), step];
  ctx.persist(record); // the intent is on disk before anything is signed
  const dueAt = ctx.dueAt.get(record.sessionId) ?? options.clock.now();
  try {
    const overheadMs = options.clock.now() - dueAt;
    const sent = options.chain.submitProof({ key, jobId, tokens: claim, ...material });
    ctx.dueAt.delete(record.sessionId);
    const { txHash } = await sent;
    markLanded(record, step, options.clock.now(), txHash);
    record.proven = cumulative;
    record.dueSince = undefined;
    record.attempts = 0;
    session.tokensUsed = cumulative;
    // The block that took the proof may be later than our estimate of chain time: the rate rule and the dispute
    // window run from the block's time, so it is read back before the next decision.
    session.lastProofTime = chainNow;
    ctx.staleTimes.add(jobId);
    ctx.persist(record);
    options.logger.info("proof submitted", { sessionId: record.sessionId, jobId, tokens: claim, cumulative, txHash });
    options.onMetric?.({ type: "proof_submitted", jobId, tokens: claim, by: "cli", overheadMs });
  } catch (error) {
    ctx.onFailure(record, error as Error, key);
  }
}
