/**
 * Proof material for a checkpoint: the node's own (proof hash and delta CID from `/v1/checkpoints/:session_id`) when
 * it has a checkpoint at exactly that token count, else material the CLI derives itself, so a crashed node never
 * leaves served tokens unprovable.
 *
 * The real index (fabstir-llm-node@85a87b8 src/checkpoint/index.rs:13-51, served by src/api/server.rs:1630-1716) is
 * camelCase `{sessionId, hostAddress, hostSignature, checkpoints:[{index, proofHash, deltaCid, tokenRange:[start,end],
 * timestamp, encrypted?}]}`. It lists no proof CID and no job id. A checkpoint's cumulative count is tokenRange[1]; the
 * first checkpoint claims at least the job's proofInterval, so its end can be more than the tokens generated
 * (src/contracts/checkpoint_manager.rs:390-400, 956-958). 404 = no checkpoint yet, 503 = a node without a host key.
 */
import { AbiCoder, keccak256 } from "ethers";
import type { ProofMaterial } from "./chain-port.ts";
import type { FetchFn } from "../context.ts";

export interface CheckpointIndex {
  /** The real node's index names no job; kept for callers that compare when it is known. */
  jobId?: string;
  /** tokens = tokenRange[1], the cumulative count the checkpoint proves; start = tokenRange[0]. */
  checkpoints: { tokens: number; start: number; material: ProofMaterial }[];
  /** The highest cumulative count of the node's checkpoints (tokenRange[1] of its last one). */
  totalTokens: number;
  hostAddress?: string;
}

/** What GET /v1/checkpoints/:session_id said. */
export type CheckpointAnswer =
  | { kind: "index"; index: CheckpointIndex }
  /** 404: the session has no checkpoint yet. */
  | { kind: "none" }
  /** 503: the node has no checkpoint manager (no host key). */
  | { kind: "keyless" }
  | { kind: "unreachable"; error: string }
  | { kind: "invalid"; error: string };

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

function tokenRange(value: unknown): [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [start, end] = value.map(Number) as [number, number];
  return Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start ? [start, end] : undefined;
}

/** Reads the index body; entries without a bytes32 proofHash or a sane tokenRange are left out. */
export function parseCheckpointIndex(body: unknown): CheckpointIndex | undefined {
  if (body === null || typeof body !== "object" || !Array.isArray((body as { checkpoints?: unknown }).checkpoints)) return undefined;
  const raw = body as { checkpoints: unknown[]; hostAddress?: unknown };
  const checkpoints = raw.checkpoints.flatMap((entry) => {
    if (entry === null || typeof entry !== "object") return [];
    const c = entry as { proofHash?: unknown; deltaCid?: unknown; tokenRange?: unknown };
    const range = tokenRange(c.tokenRange);
    if (!range || typeof c.proofHash !== "string" || !BYTES32.test(c.proofHash)) return [];
    return [
      { tokens: range[1], start: range[0], material: { proofHash: c.proofHash, proofCID: "", deltaCID: typeof c.deltaCid === "string" ? c.deltaCid : "" } },
    ];
  });
  const totalTokens = Math.max(0, ...checkpoints.map((c) => c.tokens));
  return { checkpoints, totalTokens, hostAddress: typeof raw.hostAddress === "string" ? raw.hostAddress : undefined };
}

export async function fetchNodeCheckpoints(fetchFn: FetchFn, nodeUrl: string, sessionId: string, timeoutMs = 2000): Promise<CheckpointAnswer> {
  let response: Response;
  try {
    response = await fetchFn(`${nodeUrl}/v1/checkpoints/${encodeURIComponent(sessionId)}`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { kind: "unreachable", error: (error as Error).message };
  }
  if (response.status === 404) return { kind: "none" };
  if (response.status === 503) return { kind: "keyless" };
  if (!response.ok) return { kind: "invalid", error: `HTTP ${response.status}` };
  try {
    const index = parseCheckpointIndex(await response.json());
    return index ? { kind: "index", index } : { kind: "invalid", error: "not a checkpoint index" };
  } catch {
    return { kind: "invalid", error: "not JSON" };
  }
}

/** The node's index, or undefined when it has none to give (none yet, keyless, unreachable, unreadable). */
export async function readNodeCheckpoints(fetchFn: FetchFn, nodeUrl: string, sessionId: string, timeoutMs = 2000): Promise<CheckpointIndex | undefined> {
  const answer = await fetchNodeCheckpoints(fetchFn, nodeUrl, sessionId, timeoutMs);
  return answer.kind === "index" ? answer.index : undefined;
}

/** Deterministic material for a checkpoint the node cannot vouch for (crashed, restarted, or keyless in cli mode). */
export function derivedMaterial(jobId: string, sessionId: string, cumulativeTokens: number): ProofMaterial {
  const proofHash = keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["string", "uint256", "string", "uint256"],
      ["fabstir-host/checkpoint", BigInt(jobId), sessionId, BigInt(cumulativeTokens)],
    ),
  );
  return { proofHash, proofCID: "", deltaCID: "" };
}

export function materialFor(index: CheckpointIndex | undefined, jobId: string, sessionId: string, cumulativeTokens: number): ProofMaterial {
  const exact = index?.checkpoints.find((c) => c.tokens === cumulativeTokens);
  return exact?.material ?? derivedMaterial(jobId, sessionId, cumulativeTokens);
}
