/**
 * Small deterministic stand-ins for GGUF model files. The devnet registers their SHA-256
 * in the ModelRegistry, so download and verification code can be exercised end to end
 * without fetching gigabytes.
 */
import { createHash } from "node:crypto";

/** Size of every fake model file in bytes. */
export const FAKE_MODEL_SIZE = 4096;

/** The models the devnet approves, written `repo:file` as people do. */
export const DEVNET_MODEL_SPECS: ReadonlyArray<{ repo: string; file: string }> = [
  { repo: "CohereForAI/TinyVicuna-1B-32k-GGUF", file: "tiny-vicuna-1b.q4_k_m.gguf" },
  { repo: "TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF", file: "tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf" },
];

/**
 * A minimal well-formed GGUF header ("GGUF", version 3, no tensors, one metadata entry
 * `general.name` = "<repo>/<file>") followed by filler derived from the name, so two
 * models never share a hash and the same model always has the same bytes.
 */
export function fakeModelBytes(repo: string, file: string): Uint8Array {
  const name = new TextEncoder().encode(`${repo}/${file}`);
  const key = new TextEncoder().encode("general.name");
  const out = new Uint8Array(FAKE_MODEL_SIZE);
  const view = new DataView(out.buffer);
  let at = 0;
  out.set(new TextEncoder().encode("GGUF"), at);
  at += 4;
  view.setUint32(at, 3, true); // GGUF version
  at += 4;
  view.setBigUint64(at, 0n, true); // tensor count
  at += 8;
  view.setBigUint64(at, 1n, true); // metadata entry count
  at += 8;
  view.setBigUint64(at, BigInt(key.length), true);
  at += 8;
  out.set(key, at);
  at += key.length;
  view.setUint32(at, 8, true); // value type: string
  at += 4;
  const nameLength = Math.min(name.length, FAKE_MODEL_SIZE / 2);
  view.setBigUint64(at, BigInt(nameLength), true);
  at += 8;
  out.set(name.subarray(0, nameLength), at);
  at += nameLength;

  // Filler: a SHA-256 chain seeded by the name.
  let block = createHash("sha256").update(name).digest();
  while (at < FAKE_MODEL_SIZE) {
    const take = Math.min(block.length, FAKE_MODEL_SIZE - at);
    out.set(block.subarray(0, take), at);
    at += take;
    block = createHash("sha256").update(block).digest();
  }
  return out;
}

/** 0x-prefixed SHA-256 of fakeModelBytes(repo, file): the hash registered on chain. */
export function fakeModelSha256(repo: string, file: string): string {
  return `0x${createHash("sha256").update(fakeModelBytes(repo, file)).digest("hex")}`;
}
