/**
 * The body of GET /v1/checkpoints/:session_id, shaped like the real node's CheckpointIndex
 * (fabstir-llm-node@85a87b8 src/checkpoint/index.rs:13-51): camelCase, keys sorted at every depth (the handler
 * answers `serde_json::to_value(&index)`, src/api/server.rs:1672), `hostAddress` lowercase, `timestamp` in
 * milliseconds, and `hostSignature` an EIP-191 signature (0x + 130 hex) over the compact, key-sorted JSON of the
 * `checkpoints` array (index.rs:76-81, src/checkpoint/signer.rs:31-48).
 */
import { Wallet } from "ethers";
import type { Session } from "./sessions.ts";
import { nodeJson } from "./wire.ts";

export interface IndexEntry {
  index: number;
  proofHash: string;
  deltaCid: string;
  tokenRange: [number, number];
  timestamp: number;
}

export function indexEntries(session: Session): IndexEntry[] {
  // `encrypted` is omitted for plaintext deltas (index.rs:47-50); the stand-in never encrypts a delta.
  return session.checkpoints.map(({ index, proofHash, deltaCid, tokenRange, timestamp }) => ({
    index,
    proofHash,
    deltaCid,
    tokenRange,
    timestamp,
  }));
}

export function checkpointIndexBody(session: Session, hostKey: string) {
  const wallet = new Wallet(hostKey.startsWith("0x") ? hostKey : `0x${hostKey}`);
  const checkpoints = indexEntries(session);
  return {
    sessionId: session.sessionId,
    hostAddress: wallet.address.toLowerCase(),
    checkpoints,
    hostSignature: wallet.signMessageSync(nodeJson(checkpoints)),
  };
}
