/**
 * Proof material for a checkpoint: the node's own (proof hash, proof CID, delta CID from `/v1/checkpoints/:session_id`)
 * when it has a checkpoint at exactly that token count, else material the CLI derives itself, so a crashed node never
 * leaves served tokens unprovable.
 */
import { AbiCoder, keccak256 } from "ethers";
import type { ProofMaterial } from "./chain-port.ts";
import type { FetchFn } from "../context.ts";

interface NodeCheckpoint {
  proof_hash?: string;
  proofHash?: string;
  proof_cid?: string;
  proofCid?: string;
  delta_cid?: string;
  deltaCid?: string;
  tokens?: number;
}

export interface CheckpointIndex {
  jobId?: string;
  checkpoints: { tokens: number; material: ProofMaterial }[];
  /** The node's count of the session's tokens (its total, or its last checkpoint when it gives no total). */
  totalTokens: number;
}

export async function readNodeCheckpoints(fetchFn: FetchFn, nodeUrl: string, sessionId: string, timeoutMs = 2000): Promise<CheckpointIndex | undefined> {
  try {
    const response = await fetchFn(`${nodeUrl}/v1/checkpoints/${encodeURIComponent(sessionId)}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { job_id?: unknown; jobId?: unknown; checkpoints?: NodeCheckpoint[]; total_tokens?: unknown; totalTokens?: unknown };
    const checkpoints = (body.checkpoints ?? [])
      .map((c) => ({
        tokens: Number(c.tokens),
        material: { proofHash: String(c.proof_hash ?? c.proofHash ?? ""), proofCID: String(c.proof_cid ?? c.proofCid ?? ""), deltaCID: String(c.delta_cid ?? c.deltaCid ?? "") },
      }))
      .filter((c) => Number.isInteger(c.tokens) && /^0x[0-9a-fA-F]{64}$/.test(c.material.proofHash));
    const jobId = body.job_id ?? body.jobId;
    const total = Number(body.total_tokens ?? body.totalTokens);
    const totalTokens = Math.max(Number.isSafeInteger(total) && total >= 0 ? total : 0, ...checkpoints.map((c) => c.tokens));
    return { jobId: jobId === undefined || jobId === null ? undefined : String(jobId), checkpoints, totalTokens };
  } catch {
    return undefined;
  }
}

/** Deterministic material for a checkpoint the node cannot vouch for (crashed, restarted, or keyless in cli mode). */
export function derivedMaterial(jobId: string, sessionId: string, cumulativeTokens: number): ProofMaterial {
  const proofHash = keccak256(AbiCoder.defaultAbiCoder().encode(["string", "uint256", "string", "uint256"], ["fabstir-host/checkpoint", BigInt(jobId), sessionId, BigInt(cumulativeTokens)]));
  return { proofHash, proofCID: "", deltaCID: "" };
}

export function materialFor(index: CheckpointIndex | undefined, jobId: string, sessionId: string, cumulativeTokens: number): ProofMaterial {
  const exact = index?.checkpoints.find((c) => c.tokens === cumulativeTokens);
  return exact?.material ?? derivedMaterial(jobId, sessionId, cumulativeTokens);
}
