/**
 * The material a CLI claim carries: the node's own checkpoint at the served count the claim reaches, when the node has
 * one (so the node's own submission of it is refused once ours landed, and the other way round), else material the CLI
 * derives (material.ts). A node that took the session over counts its checkpoints from 0 (resume.ts): its own are
 * found above nodeBase. A node hash the chain already refused (resume.ts, burnHash) proves nothing: ours replaces it.
 */
import type { ProofMaterial } from "./chain-port.ts";
import type { SessionRecord } from "./journal.ts";
import { derivedMaterial, materialFor, type CheckpointIndex } from "./material.ts";

/** `served`: the served count the claim reaches (the chain's total less any padding, see minimum-billing.ts). */
export function claimMaterial(record: SessionRecord, index: CheckpointIndex | undefined, served: number): ProofMaterial {
  const jobId = record.jobId!;
  const nodeBase = record.nodeBase ?? 0;
  const found =
    nodeBase > 0
      ? (index?.checkpoints.find((c) => c.tokens === served - nodeBase)?.material ?? derivedMaterial(jobId, record.sessionId, served))
      : materialFor(index, jobId, record.sessionId, served);
  return record.burnedHashes?.includes(found.proofHash.toLowerCase()) ? derivedMaterial(jobId, record.sessionId, served) : found;
}
