/**
 * Messages under the session key: XChaCha20-Poly1305 with a fresh 24-byte nonce per message and an AAD that names the
 * message's place in the stream. No signature: the key itself is the authentication.
 *
 * - client → node `encrypted_message`: AAD `message_<index>` (fabstir-llm-sdk@ae342d6
 *   packages/sdk-core/src/managers/EncryptionManager.ts:305-326), the index counting from 0 per session init
 *   (SessionManager.ts:2080, 2279-2283). The node decrypts with whatever AAD the frame carries (fabstir-llm-node@85a87b8
 *   src/api/server.rs:2578-2611).
 * - node → client `encrypted_chunk`: AAD `chunk_<index>` (server.rs:3236-3263); the final `encrypted_response` seals the
 *   finish reason with AAD `encrypted_response_final` (server.rs:3314-3337). The client decrypts with the AAD the frame
 *   carries (EncryptionManager.ts:341-354).
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha";
import { randomBytes } from "node:crypto";
import { CryptoInputError, bytesToHex, fromUtf8, hexToBytes, utf8 } from "./hex.ts";

/** The hex fields of every symmetric payload (EncryptionManager.ts:321-325; server.rs:3268-3273). */
export interface SealedMessage {
  ciphertextHex: string;
  nonceHex: string;
  aadHex: string;
}

export const NONCE_BYTES = 24;
export const KEY_BYTES = 32;
export const messageAad = (index: number): string => `message_${index}`;
export const chunkAad = (index: number): string => `chunk_${index}`;
export const FINAL_RESPONSE_AAD = "encrypted_response_final";

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new CryptoInputError(`session key must be ${KEY_BYTES} bytes, got ${key.length}`);
}

/** Seals UTF-8 text; `nonce` is for fixed test vectors only (each message needs a fresh one). */
export function sealWithSessionKey(key: Uint8Array, text: string, aad: string, nonce: Uint8Array = randomBytes(NONCE_BYTES)): SealedMessage {
  checkKey(key);
  if (nonce.length !== NONCE_BYTES) throw new CryptoInputError(`nonce must be ${NONCE_BYTES} bytes, got ${nonce.length}`);
  const aadBytes = utf8(aad);
  const ciphertext = xchacha20poly1305(key, nonce, aadBytes).encrypt(utf8(text));
  return { ciphertextHex: bytesToHex(ciphertext), nonceHex: bytesToHex(nonce), aadHex: bytesToHex(aadBytes) };
}

/**
 * Opens a sealed message with the AAD it carries; throws when the tag does not verify (another key, a changed byte of
 * ciphertext, nonce or AAD). The nonce size is checked first, as the node does (server.rs:2580-2600).
 */
export function openWithSessionKey(key: Uint8Array, sealed: SealedMessage): { text: string; aad: string } {
  checkKey(key);
  const nonce = hexToBytes(sealed.nonceHex, "nonceHex");
  if (nonce.length !== NONCE_BYTES) throw new CryptoInputError(`Invalid nonce size: expected ${NONCE_BYTES} bytes, got ${nonce.length}`);
  const aad = hexToBytes(sealed.aadHex ?? "", "aadHex");
  const plaintext = xchacha20poly1305(key, nonce, aad).decrypt(hexToBytes(sealed.ciphertextHex, "ciphertextHex"));
  return { text: fromUtf8(plaintext), aad: fromUtf8(aad) };
}
