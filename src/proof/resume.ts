/**
 * A session that comes back. The SDK keeps a session's session_id and job_id and re-sends session_init before every
 * prompt (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/SessionManager.ts:1079), on a new socket too, so a socket that closed, or a host that restarted
 * under its clients, does not end the session for the client: the same session goes on, on the same job. Its proof
 * record is reopened, and every token served after it is counted on top of what was served before.
 *
 * Counting: the session monitor reports a session's running total. In the process that saw the session before, a
 * reopened session's total goes on from where it was; after a host restart the new monitor counts from 0, so the
 * record's count so far becomes the base the new totals add to.
 *
 * Node mode: a node that did not serve the session before (the host restarted, and the node with it, or the node died
 * under the socket) counts its checkpoints from 0 again. `nodeBase` is what was served before that node took over:
 * the CLI proves those tokens (the new node cannot), and reads the node's checkpoints as counts above it.
 */
import type { SessionEvent } from "../session/monitor.ts";
import type { OnChainSession } from "./chain-port.ts";
import type { SessionRecord } from "./journal.ts";
import { nextClaim, type Claim } from "./rules.ts";

type Opened = Extract<SessionEvent, { type: "session_opened" }>;

/** Whether a record may be reopened: it ended, and nothing of its settlement is on its way. */
export function mayReopen(record: SessionRecord, event: Opened): boolean {
  if (!record.ended || record.finished || record.stopped) return false;
  if (record.settlement && record.settlement.state !== "failed") return false;
  return !event.jobId || !record.jobId || event.jobId === record.jobId;
}

/**
 * Reopens an ended record for the session that came back; returns the base its new totals add to. `countedHere`: the
 * monitor of this process counted the session before (its totals go on).
 */
export function reopen(record: SessionRecord, event: Opened, countedHere: boolean, currentBase: number): number {
  const nodeWasReplaced = !countedHere || record.endReason === "node_closed";
  if (nodeWasReplaced) record.nodeBase = record.generated;
  record.jobId ??= event.jobId;
  record.ended = false;
  record.resumed = (record.resumed ?? 0) + 1;
  for (const key of ["endReason", "endedAt", "dueSince", "nextAttemptAt"] as const) delete record[key];
  return countedHere ? currentBase : record.generated;
}

/**
 * Node mode: what was served before the node now serving the session took it over and is not proven yet. The new node
 * cannot prove it (it never saw those tokens), so the CLI does, at once, as the whole remainder of a session that
 * ended. Undefined when nothing is owed (or nothing provable: a tail under the contract's minimum).
 */
export function owedBeforeNode(record: SessionRecord, session: OnChainSession, padding: number, maxTokens: number): Claim | undefined {
  const base = record.nodeBase ?? 0;
  if (base === 0 || session.tokensUsed >= base + padding) return undefined;
  const claim = nextClaim({ served: base, proven: session.tokensUsed, padding, proofInterval: session.proofInterval, ended: true, maxTokens });
  return claim.tokens > 0 ? claim : undefined;
}

/**
 * A proof the chain refused with "Proof already used" while its tokens were not proven: its hash was spent by another
 * proof. A node that took a session over and derives its checkpoint hashes from the session and its own count (the
 * stand-in does: scripts/devnet/node-sim/README.md) repeats the hashes of the node before it. That step is over, and
 * its hash is never used again for this session: the claim is made afresh with material of our own (no proof with the
 * spent hash can land, the node's neither, so no token is billed twice).
 */
export function burnHash(record: SessionRecord, key: string, message: string): void {
  if (!/proof already used/i.test(message)) return;
  const step = record.proofs.find((p) => p.key === key);
  if (!step?.material) return;
  step.state = "failed";
  record.burnedHashes = [...new Set([...(record.burnedHashes ?? []), step.material.proofHash.toLowerCase()])];
}
