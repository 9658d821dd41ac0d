/**
 * Node mode's safety net for one due claim: once the node's grace has passed (for an ended session, no later than
 * halfway through the dispute window on the chain's clock), the CLI proves what the node left undone: the node's own
 * next checkpoint, or everything due when the node no longer knows the session. Kept apart from pipeline.ts so a pass
 * there reads as one decision; the timing rules themselves live in node-first.ts (stepInAt, NodeWatch).
 */
import type { OnChainSession } from "./chain-port.ts";
import type { SessionRecord } from "./journal.ts";
import type { PipelineOptions } from "./pipeline-types.ts";
import { nodeGraceMs, stepInAt, type NodeWatch, type StepIn } from "./node-first.ts";

export interface StepInDeps {
  options: PipelineOptions;
  nodeWatch: NodeWatch;
  chainNow(): Promise<number>;
  disputeWindow(): Promise<number>;
  persist(record: SessionRecord): void;
}

export interface StepInClaim {
  /** What is due by the pipeline's own count. */
  claim: StepIn;
  padding: number;
  /** What the deposit pays for in all. */
  maxTokens: number;
  now: number;
}

/** The claim the CLI makes in the node's place now (a claim of 0 = none), or when to look again. */
export async function stepInForNode(
  deps: StepInDeps,
  record: SessionRecord,
  session: OnChainSession,
  { claim, padding, maxTokens, now }: StepInClaim,
): Promise<StepIn | { waitUntil: number }> {
  const windowSeconds = await deps.disputeWindow();
  const grace = nodeGraceMs(deps.options.graceMs, windowSeconds);
  record.dueSince ??= now;
  const at = stepInAt({ since: record.dueSince, graceMs: grace, ended: record.ended }, session, { windowSeconds, chainNow: await deps.chainNow(), now });
  if (now < at) {
    deps.persist(record);
    return { waitUntil: at };
  }
  const step = await deps.nodeWatch.step(record, session, padding, claim, grace);
  if ("waitUntil" in step) return step;
  return step.tokens > maxTokens - record.proven ? { tokens: 0, padding: 0 } : step;
}
