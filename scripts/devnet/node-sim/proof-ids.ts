/**
 * Deterministic stand-ins for the node's proof artefacts.
 *
 * The real node builds a proof per checkpoint, stores it in S5 and puts sha256(proof bytes) on chain as the proof
 * hash (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:935-939). Here the "proof bytes" are a fixed
 * text naming the job, session and token range, hashed the same way; the CIDs are base32 CIDv1-looking strings
 * derived from the hash, so the same checkpoint always gives the same values.
 */
import { createHash } from "node:crypto";
import { keccak256, toUtf8Bytes, getBytes } from "ethers";

const BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return output;
}

/** The stand-in's proof bytes for one checkpoint (the real node's are a STARK proof). */
export function proofBytes(jobId: string | null, sessionId: string, start: number, end: number): Uint8Array {
  return toUtf8Bytes(`node-sim-proof:${jobId ?? "-"}:${sessionId}:${start}:${end}`);
}

/** 0x + 64 hex: sha256 of the proof bytes, as the real node computes its proof hash. */
export function proofHash(bytes: Uint8Array): string {
  return `0x${createHash("sha256").update(bytes).digest("hex")}`;
}

/** A CIDv1 (raw, sha2-256, base32) lookalike derived from a label and a seed. */
export function fakeCid(label: string, seed: string): string {
  const digest = getBytes(keccak256(toUtf8Bytes(`${label}:${seed}`)));
  return `bafkrei${base32(digest)}`;
}

export function proofCid(hash: string): string {
  return fakeCid("proof", hash);
}

export function deltaCid(hash: string): string {
  return fakeCid("delta", hash);
}

/**
 * The conversation CID the real node settles with: a fixed placeholder naming the job
 * (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:1637).
 */
export function conversationCid(jobId: string): string {
  return `session_job_${jobId}_completed`;
}
