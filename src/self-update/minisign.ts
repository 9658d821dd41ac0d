/**
 * minisign signature verification, so self-update checks the same SHA256SUMS.sig that install.sh checks with the
 * minisign tool (the release signs with `minisign -S`; see scripts/release/stamp-installers.ts and docs/SECURITY.md).
 * Formats (minisign's documented file format): a public key is base64 of "Ed" + 8-byte key id + 32-byte Ed25519 key;
 * a signature file is an untrusted comment line, base64 of algorithm ("Ed": the message itself, "ED": its BLAKE2b-512
 * hash) + key id + 64-byte signature, a `trusted comment: ` line, and base64 of a 64-byte global signature over the
 * signature bytes followed by the trusted comment.
 */
import { createHash, createPublicKey, verify } from "node:crypto";

export type MinisignResult = { ok: true; trustedComment: string } | { ok: false; reason: "malformed" | "other-key" | "bad-signature" };

const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export function parsePublicKey(text: string): { keyId: Buffer; key: Buffer } | undefined {
  const line = text.trim().split(/\r?\n/).pop() ?? "";
  const bytes = Buffer.from(line, "base64");
  if (bytes.length !== 42 || bytes.subarray(0, 2).toString("latin1") !== "Ed") return undefined;
  return { keyId: bytes.subarray(2, 10), key: bytes.subarray(10) };
}

function ed25519Verify(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: "der", type: "spki" });
  return verify(null, message, key, signature);
}

export function verifyMinisign(message: Uint8Array, signatureText: string, publicKeyText: string): MinisignResult {
  const publicKey = parsePublicKey(publicKeyText);
  const lines = signatureText.split(/\r?\n/);
  if (!publicKey || lines.length < 4 || !lines[2]!.startsWith("trusted comment: ")) return { ok: false, reason: "malformed" };
  const signature = Buffer.from(lines[1]!.trim(), "base64");
  const globalSignature = Buffer.from(lines[3]!.trim(), "base64");
  const algorithm = signature.subarray(0, 2).toString("latin1");
  if (signature.length !== 74 || globalSignature.length !== 64 || (algorithm !== "Ed" && algorithm !== "ED")) return { ok: false, reason: "malformed" };
  if (!signature.subarray(2, 10).equals(publicKey.keyId)) return { ok: false, reason: "other-key" };
  const signed = algorithm === "ED" ? createHash("blake2b512").update(message).digest() : Buffer.from(message);
  const trustedComment = lines[2]!.slice("trusted comment: ".length);
  const valid =
    ed25519Verify(publicKey.key, signed, signature.subarray(10)) &&
    ed25519Verify(publicKey.key, Buffer.concat([signature.subarray(10), Buffer.from(trustedComment, "utf8")]), globalSignature);
  return valid ? { ok: true, trustedComment } : { ok: false, reason: "bad-signature" };
}
