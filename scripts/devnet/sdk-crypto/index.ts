/**
 * The SDK's end-to-end encryption, both sides, for the simulated clients and the node stand-in: the session init
 * sealed to the host's key (ephemeral secp256k1 ECDH, HKDF-SHA256, XChaCha20-Poly1305, a recoverable signature), then
 * every message and chunk under the session key the init carried.
 */
export { CryptoInputError, bytesToHex, hexToBytes } from "./hex.ts";
export {
  addressOf,
  compressedPublicKey,
  contextDigest,
  publicKeyOf,
  recoverAddress,
  sdkSenderAddress,
  sealForHost,
  type EphemeralPayload,
} from "./ephemeral.ts";
export {
  openSessionInit,
  sealSessionInit,
  type ClientSessionInit,
  type InitPayloadFields,
  type NodeSessionInit,
  type SessionInitPlaintext,
} from "./session-init.ts";
export { EncryptedClientSession, type EncryptedClientOptions } from "./client-session.ts";
export { readHostPublicKey } from "./host-key.ts";
export { FINAL_RESPONSE_AAD, chunkAad, messageAad, openWithSessionKey, sealWithSessionKey, type SealedMessage } from "./symmetric.ts";
