/**
 * Deterministic stand-ins for the node's proof artefacts.
 *
 * The real node builds a STARK proof per checkpoint and stores it in S5; its
 * hash goes on chain. Here the "proof" hash is keccak256(sessionId, cumulative
 * tokens) and the CIDs are base32 CIDv1-looking strings derived from it, so the
 * same session and token count always give the same values.
 */
import { keccak256, solidityPackedKeccak256, toUtf8Bytes, getBytes } from "ethers";

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

/** 0x + 64 hex: keccak256 of the packed (string sessionId, uint256 cumulativeTokens). */
export function proofHash(sessionId: string, cumulativeTokens: number): string {
  return solidityPackedKeccak256(["string", "uint256"], [sessionId, BigInt(cumulativeTokens)]);
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

export function conversationCid(sessionId: string, totalTokens: number): string {
  return fakeCid("conversation", `${sessionId}:${totalTokens}`);
}
