/**
 * The `encrypted_session_init` payload: what the client seals and what the node learns from it.
 *
 * Client: a random 32-byte session key, and `{sessionKey, jobId, modelName, pricePerToken, recoveryPublicKey}` sealed
 * to the host (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/SessionManager.ts:2077-2117,
 * EncryptionManager.ts:224-244). Node: decrypt, parse, check the key, recover the client's address
 * (fabstir-llm-node@85a87b8 src/crypto/session_init.rs:81-173).
 */
import { secp256k1 } from "@noble/curves/secp256k1";
import { sha256 } from "@noble/hashes/sha256";
import { xchacha20poly1305 } from "@noble/ciphers/chacha";
import { randomBytes } from "node:crypto";
import { nodeSharedKey, recoverAddress, sealForHost, type EphemeralPayload, type SealOptions } from "./ephemeral.ts";
import { CryptoInputError, bytesToHex, fromUtf8, hexToBytes } from "./hex.ts";

/** The sealed JSON, in the SDK's field order (SessionManager.ts:2094-2101). */
export interface SessionInitPlaintext {
  sessionKey: string;
  /** A decimal string: the node's field is a String (session_init.rs:53-63). */
  jobId: string;
  modelName: string;
  /** A JSON integer (the node's u64) in the token's smallest unit × 1000. */
  pricePerToken: number;
  recoveryPublicKey?: string;
}

export interface ClientSessionInit {
  sessionKey: Uint8Array;
  payload: EphemeralPayload;
}

export interface SessionInitFields {
  jobId: bigint | string;
  modelName: string;
  pricePerToken: bigint | number;
}

/**
 * Client side: draws the session key and seals the init to the host. The recovery public key is the client's own
 * compressed key (EncryptionManager.ts:193-195), so its checkpoints can be encrypted to it.
 */
export function sealSessionInit(
  hostPublicKey: string,
  clientPrivateKeyHex: string,
  fields: SessionInitFields,
  options: SealOptions & { sessionKey?: Uint8Array } = {},
): ClientSessionInit {
  const sessionKey = options.sessionKey ?? randomBytes(32);
  const price = Number(fields.pricePerToken);
  if (!Number.isSafeInteger(price) || price < 0) throw new CryptoInputError("pricePerToken must be a non-negative integer the node can read as u64");
  const plaintext: SessionInitPlaintext = {
    sessionKey: bytesToHex(sessionKey),
    jobId: fields.jobId.toString(),
    modelName: fields.modelName,
    pricePerToken: price,
    recoveryPublicKey: `0x${bytesToHex(secp256k1.getPublicKey(hexToBytes(clientPrivateKeyHex, "private key"), true))}`,
  };
  return { sessionKey, payload: sealForHost(hostPublicKey, clientPrivateKeyHex, JSON.stringify(plaintext), options) };
}

/** What the node learns (session_init.rs:30-49). */
export interface NodeSessionInit {
  jobId: string;
  modelName: string;
  sessionKey: Uint8Array;
  pricePerToken: number;
  /** Lower-case hex address, as the node's recovery formats it. */
  clientAddress: string;
  recoveryPublicKey?: string;
}

/** The hex fields the node reads from the frame's payload (server.rs:2219-2239); all five are required. */
export type InitPayloadFields = Pick<EphemeralPayload, "ephPubHex" | "ciphertextHex" | "signatureHex" | "nonceHex" | "aadHex">;

function parsePlaintext(json: string): SessionInitPlaintext {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CryptoInputError("Failed to parse session data JSON");
  }
  const data = (value ?? {}) as Record<string, unknown>;
  // serde's rules for SessionDataJson: strings are strings, u64 is a non-negative integer (session_init.rs:53-63).
  for (const field of ["jobId", "modelName", "sessionKey"] as const) {
    if (typeof data[field] !== "string") throw new CryptoInputError(`Failed to parse session data JSON: ${field} must be a string`);
  }
  if (typeof data.pricePerToken !== "number" || !Number.isInteger(data.pricePerToken) || data.pricePerToken < 0) {
    throw new CryptoInputError("Failed to parse session data JSON: pricePerToken must be a non-negative integer");
  }
  if (data.recoveryPublicKey !== undefined && data.recoveryPublicKey !== null && typeof data.recoveryPublicKey !== "string") {
    throw new CryptoInputError("Failed to parse session data JSON: recoveryPublicKey must be a string");
  }
  return data as unknown as SessionInitPlaintext;
}

/**
 * Node side (session_init.rs:81-173): sizes first, ECDH + HKDF, AEAD open with the frame's AAD, parse, a 32-byte
 * session key, then the client's address recovered from the signature over sha256(ciphertext) (session_init.rs:157-161).
 * The SDK signs its context digest instead (utilities.ts:139-175), so the node's recovered address is not the client's
 * own; the node only echoes it in the ack (server.rs:2434-2443), and so does the stand-in.
 */
export function openSessionInit(fields: InitPayloadFields, hostPrivateKeyHex: string): NodeSessionInit {
  const ephPub = hexToBytes(fields.ephPubHex, "ephPubHex");
  const ciphertext = hexToBytes(fields.ciphertextHex, "ciphertextHex");
  const nonce = hexToBytes(fields.nonceHex, "nonceHex");
  const signature = hexToBytes(fields.signatureHex, "signatureHex");
  const aad = hexToBytes(fields.aadHex, "aadHex");
  if (ephPub.length === 0) throw new CryptoInputError("Ephemeral public key is empty");
  if (ciphertext.length === 0) throw new CryptoInputError("Ciphertext is empty");
  if (nonce.length !== 24) throw new CryptoInputError(`Invalid nonce size: expected 24 bytes, got ${nonce.length}`);
  if (signature.length !== 65) throw new CryptoInputError(`Invalid signature size: expected 65 bytes, got ${signature.length}`);
  const key = nodeSharedKey(ephPub, hexToBytes(hostPrivateKeyHex, "host private key"));
  let plaintext: Uint8Array;
  try {
    plaintext = xchacha20poly1305(key, nonce, aad).decrypt(ciphertext);
  } catch {
    throw new CryptoInputError("Decryption failed (authentication error)");
  }
  const data = parsePlaintext(fromUtf8(plaintext));
  const sessionKey = hexToBytes(data.sessionKey, "sessionKey");
  if (sessionKey.length !== 32) throw new CryptoInputError(`Invalid session key length: expected 32 bytes, got ${sessionKey.length}`);
  let clientAddress: string;
  try {
    clientAddress = recoverAddress(signature, sha256(ciphertext));
  } catch (error) {
    throw new CryptoInputError(`Signature verification failed: ${(error as Error).message}`);
  }
  return {
    jobId: data.jobId,
    modelName: data.modelName,
    sessionKey,
    pricePerToken: data.pricePerToken,
    clientAddress,
    ...(typeof data.recoveryPublicKey === "string" ? { recoveryPublicKey: data.recoveryPublicKey } : {}),
  };
}
