/**
 * Ephemeral-static ECDH for the session init: the client seals a payload to the host's static secp256k1 key with a
 * fresh ephemeral key, and signs the context with its own key.
 *
 * Client side follows fabstir-llm-sdk@ae342d6 packages/sdk-core/src/crypto/encryption.ts:54-130 (encryptForEphemeral);
 * node side follows fabstir-llm-node@85a87b8 src/crypto/ecdh.rs:35-80 (derive_shared_key) and
 * src/crypto/signature.rs:48-111 (recover_client_address).
 */
import { xchacha20poly1305 as xchacha } from "@noble/ciphers/chacha";
import { secp256k1 } from "@noble/curves/secp256k1";
import { hkdf } from "@noble/hashes/hkdf";
import { sha256 } from "@noble/hashes/sha256";
import { keccak_256 } from "@noble/hashes/sha3";
import { getAddress } from "ethers";
import { randomBytes } from "node:crypto";
import { CryptoInputError, bytesToHex, hexToBytes, utf8 } from "./hex.ts";
import type { SealedMessage } from "./symmetric.ts";

/** What the SDK sends as `payload` of `encrypted_session_init` (sdk-core src/crypto/types.ts:24-52, encryption.ts:112-122). */
export interface EphemeralPayload extends SealedMessage {
  ephPubHex: string;
  saltHex: string;
  signatureHex: string;
  recid: number;
  alg: string;
  info: string;
}

export const EPHEMERAL_ALG = "secp256k1-ecdh(ephemeral→static)+hkdf(sha256)+xchacha20-poly1305";

/** A compressed (33-byte) public key from any encoding the curve accepts (utilities.ts:60-71). */
export function compressedPublicKey(key: Uint8Array | string): Uint8Array {
  const bytes = typeof key === "string" ? hexToBytes(key, "public key") : key;
  if (bytes.length === 33 && (bytes[0] === 2 || bytes[0] === 3)) return bytes;
  return secp256k1.ProjectivePoint.fromHex(bytes).toRawBytes(true);
}

/** The host's compressed public key, hex, as hosts publish it in their metadata (`publicKey`). */
export function publicKeyOf(privateKeyHex: string): string {
  return bytesToHex(secp256k1.getPublicKey(hexToBytes(privateKeyHex, "private key"), true));
}

/** keccak256 of the uncompressed point without its 0x04, last 20 bytes (utilities.ts:85-97; signature.rs:91-106). */
export function addressOf(publicKey: Uint8Array): string {
  const uncompressed = secp256k1.ProjectivePoint.fromHex(publicKey).toRawBytes(false);
  return getAddress(bytesToHex(keccak_256(uncompressed.slice(1)).slice(-20)));
}

/**
 * The x coordinate of the ECDH point through HKDF-SHA256 to 32 bytes. The node uses salt None and empty info
 * (ecdh.rs:68-77); HKDF's None salt is HashLen zero bytes, which is exactly the SDK's default salt (encryption.ts:75-78).
 */
function sharedKey(privateKey: Uint8Array, publicKey: Uint8Array, salt?: Uint8Array): Uint8Array {
  const point = secp256k1.getSharedSecret(privateKey, publicKey, true);
  return hkdf(sha256, point.slice(1), salt, new Uint8Array(0), 32);
}

/**
 * The digest the SDK signs: sha256("E2EEv1|" eph "|" recipient "|" salt "|" nonce "|" info ["|" aad]) (utilities.ts:139-175).
 */
export function contextDigest(
  ephPub: Uint8Array,
  recipientPub: Uint8Array,
  salt: Uint8Array,
  nonce: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  const bar = utf8("|");
  const parts = [utf8("E2EEv1|"), ephPub, bar, recipientPub, bar, salt, bar, nonce, bar, info];
  if (aad.length > 0) parts.push(bar, aad);
  return sha256(Buffer.concat(parts));
}

export interface SealOptions {
  /** Fixed ephemeral private key and nonce, for test vectors only: every real seal draws fresh ones. */
  ephemeralPrivateKey?: Uint8Array;
  nonce?: Uint8Array;
}

/** Client side: seal `plaintext` to the host's public key and sign the context with the client's key (encryption.ts:54-130). */
export function sealForHost(hostPublicKey: string, clientPrivateKeyHex: string, plaintext: string, options: SealOptions = {}): EphemeralPayload {
  const ephPriv = options.ephemeralPrivateKey ?? secp256k1.utils.randomPrivateKey();
  const ephPub = secp256k1.getPublicKey(ephPriv, true);
  const recipient = compressedPublicKey(hostPublicKey);
  const salt = new Uint8Array(32);
  const info = new Uint8Array(0);
  const aad = new Uint8Array(0);
  const nonce = options.nonce ?? randomBytes(24);
  const key = sharedKey(ephPriv, recipient, salt);
  const ciphertext = xchacha(key, nonce, aad).encrypt(utf8(plaintext));
  // RFC 6979 deterministic, low-s: the same signature noble-secp256k1's signAsync gives (encryption.ts:96-107).
  const signature = secp256k1.sign(contextDigest(ephPub, recipient, salt, nonce, info, aad), hexToBytes(clientPrivateKeyHex, "private key"));
  const signature65 = Buffer.concat([signature.toCompactRawBytes(), Uint8Array.of(signature.recovery)]);
  return {
    ephPubHex: bytesToHex(ephPub),
    saltHex: bytesToHex(salt),
    nonceHex: bytesToHex(nonce),
    ciphertextHex: bytesToHex(ciphertext),
    signatureHex: bytesToHex(signature65),
    recid: signature.recovery,
    alg: EPHEMERAL_ALG,
    info: "",
    aadHex: "",
  };
}

/** Node side: the 32-byte key from the client's ephemeral public key and the host's private key (ecdh.rs:35-80). */
export function nodeSharedKey(ephPub: Uint8Array, hostPrivateKey: Uint8Array): Uint8Array {
  if (hostPrivateKey.length !== 32) throw new CryptoInputError(`Invalid node private key size: expected 32 bytes, got ${hostPrivateKey.length}`);
  if (ephPub.length !== 33 && ephPub.length !== 65) throw new CryptoInputError(`Invalid client public key size: expected 33 or 65 bytes, got ${ephPub.length}`);
  return sharedKey(hostPrivateKey, ephPub);
}

/**
 * Node side: the address that signed `digest`, from a 65-byte r‖s‖v signature; v may be 0-3 or 27/28
 * (signature.rs:48-111). Lower-case hex, as the node formats it (signature.rs:104).
 */
export function recoverAddress(signature: Uint8Array, digest: Uint8Array): string {
  if (signature.length !== 65) throw new CryptoInputError(`Invalid signature size: expected 65 bytes, got ${signature.length}`);
  let recovery = signature[64]!;
  if (recovery >= 27) recovery -= 27;
  if (recovery > 3) throw new CryptoInputError(`Invalid recovery ID: expected 0-3, got ${recovery}`);
  const point = secp256k1.Signature.fromCompact(signature.slice(0, 64)).addRecoveryBit(recovery).recoverPublicKey(digest);
  return addressOf(point.toRawBytes(true)).toLowerCase();
}

/**
 * SDK side: the signer of a sealed payload, recovered from the context digest (sdk-core src/crypto/recovery.ts:43-84).
 * This is the client's own address; the node recovers against a different digest (see session-init.ts).
 */
export function sdkSenderAddress(payload: EphemeralPayload, recipientPublicKey: string): string {
  const digest = contextDigest(
    compressedPublicKey(payload.ephPubHex),
    compressedPublicKey(recipientPublicKey),
    hexToBytes(payload.saltHex, "saltHex"),
    hexToBytes(payload.nonceHex, "nonceHex"),
    hexToBytes(payload.info ?? "", "info"),
    hexToBytes(payload.aadHex ?? "", "aadHex"),
  );
  return getAddress(recoverAddress(hexToBytes(payload.signatureHex, "signatureHex"), digest));
}
