/**
 * Encrypted sessions as the real node handles them (fabstir-llm-node@85a87b8 src/api/server.rs:2197-2562 for
 * `encrypted_session_init`, 2564-3610 for `encrypted_message`): the init is opened with HOST_PRIVATE_KEY and yields the
 * job id and the session key; every prompt is opened and every chunk sealed with that key. The crypto itself lives in
 * scripts/devnet/sdk-crypto (shared with the simulated clients).
 *
 * Frames are built with their keys in alphabetical order: the node builds them with serde_json's `json!` without
 * `preserve_order`, so `"type"` comes last.
 */
import {
  chunkAad,
  FINAL_RESPONSE_AAD,
  openSessionInit,
  openWithSessionKey,
  sealWithSessionKey,
  type InitPayloadFields,
  type NodeSessionInit,
  type SealedMessage,
} from "../sdk-crypto/index.ts";
import type { Frame } from "./frames.ts";
import type { Session } from "./sessions.ts";

/** A refusal with the node's error code; the handler answers it as an `error` frame with the request's id. */
export class FrameError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function payloadOf(frame: Frame): Frame {
  return frame.payload as Frame;
}

/** Session keys by session; a re-init replaces the key, as the node's SessionKeyStore::store_key does (server.rs:2324-2331). */
const sessionKeys = new WeakMap<Session, Uint8Array>();

function hexField(payload: Frame, name: string): string | undefined {
  return typeof payload[name] === "string" ? (payload[name] as string) : undefined;
}

function isHex(text: string): boolean {
  return /^(0x)?([0-9a-fA-F]{2})*$/.test(text);
}

/**
 * Opens an `encrypted_session_init` with the host key, answering the node's error codes: ENCRYPTION_NOT_SUPPORTED
 * without a key (server.rs:2532-2547), MISSING_PAYLOAD, INVALID_PAYLOAD (one of the five hex fields missing),
 * INVALID_HEX_ENCODING, INVALID_NONCE_SIZE, DECRYPTION_FAILED (server.rs:2219-2528).
 */
export function openEncryptedInit(hostPrivateKey: string | undefined, frame: Frame): NodeSessionInit {
  if (!hostPrivateKey) {
    throw new FrameError(
      "ENCRYPTION_NOT_SUPPORTED",
      "Node does not have encryption key configured. Please use plaintext session_init or configure HOST_PRIVATE_KEY.",
    );
  }
  if (frame.payload === null || typeof frame.payload !== "object" || Array.isArray(frame.payload)) {
    throw new FrameError("MISSING_PAYLOAD", "encrypted_session_init must include payload object");
  }
  const payload = frame.payload as Frame;
  const fields = {
    ephPubHex: hexField(payload, "ephPubHex"),
    ciphertextHex: hexField(payload, "ciphertextHex"),
    signatureHex: hexField(payload, "signatureHex"),
    nonceHex: hexField(payload, "nonceHex"),
    aadHex: hexField(payload, "aadHex"),
  };
  const values = Object.values(fields);
  if (values.some((value) => value === undefined)) {
    throw new FrameError(
      "INVALID_PAYLOAD",
      "Missing required fields in encrypted session init payload (ephPubHex, ciphertextHex, signatureHex, nonceHex, aadHex)",
    );
  }
  if (!values.every((value) => isHex(value!))) {
    throw new FrameError("INVALID_HEX_ENCODING", "Failed to decode hex fields in encrypted session init payload");
  }
  const nonceBytes = fields.nonceHex!.replace(/^0x/, "").length / 2;
  if (nonceBytes !== 24) throw new FrameError("INVALID_NONCE_SIZE", `Invalid nonce size: expected 24 bytes, got ${nonceBytes}`);
  try {
    return openSessionInit(fields as InitPayloadFields, hostPrivateKey);
  } catch (error) {
    throw new FrameError("DECRYPTION_FAILED", `Failed to decrypt session init payload: ${(error as Error).message}`);
  }
}

/** Keeps the init's session key for the session's messages and chunks. */
export function rememberSessionKey(session: Session, init: NodeSessionInit): void {
  sessionKeys.set(session, init.sessionKey);
}

/** The node's ack of an encrypted init (server.rs:2434-2447): job_id a number, the recovered client address. */
export function encryptedInitAck(session: Session, chainId: number | undefined, init: NodeSessionInit, id: unknown): Frame {
  const jobId = /^\d+$/.test(init.jobId) && Number.isSafeInteger(Number(init.jobId)) ? Number(init.jobId) : null;
  return {
    chain_id: chainId ?? 84532, // server.rs:2205-2208: the frame's chain, else Base Sepolia
    client_address: init.clientAddress,
    ...(id !== undefined ? { id } : {}),
    job_id: jobId,
    message: "Encrypted session initialized successfully",
    session_id: session.sessionId,
    status: "success",
    type: "session_init_ack",
  };
}

export interface OpenedPrompt {
  prompt: string;
  maxTokens: number | undefined;
}

function maxTokensIn(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Opens an `encrypted_message` with the session's key (server.rs:2564-3610): SESSION_KEY_NOT_FOUND without one,
 * MISSING_PAYLOAD, MISSING_PAYLOAD_FIELDS, INVALID_HEX_ENCODING, INVALID_NONCE_SIZE, DECRYPTION_FAILED, INVALID_UTF8.
 * The plaintext is the SDK's JSON `{prompt, model, max_tokens, temperature, stream}` (sdk-core SessionManager.ts:2254-2260)
 * or a bare prompt (server.rs:2641-2648); max_tokens comes from inside, else the outer frame (server.rs:2970-2980).
 */
export function openEncryptedMessage(session: Session, frame: Frame): OpenedPrompt {
  const key = sessionKeys.get(session);
  if (!key) throw new FrameError("SESSION_KEY_NOT_FOUND", `No session key found for session_id: ${session.sessionId}`);
  if (frame.payload === null || typeof frame.payload !== "object" || Array.isArray(frame.payload)) {
    throw new FrameError("MISSING_PAYLOAD", "encrypted_message must include payload object");
  }
  const payload = payloadOf(frame);
  const sealed = { ciphertextHex: hexField(payload, "ciphertextHex"), nonceHex: hexField(payload, "nonceHex"), aadHex: hexField(payload, "aadHex") };
  if (Object.values(sealed).some((value) => value === undefined)) {
    throw new FrameError("MISSING_PAYLOAD_FIELDS", "Payload must contain ciphertextHex, nonceHex, and aadHex");
  }
  if (!Object.values(sealed).every((value) => isHex(value!))) throw new FrameError("INVALID_HEX_ENCODING", "Failed to decode hex fields in payload");
  const nonceBytes = sealed.nonceHex!.replace(/^0x/, "").length / 2;
  if (nonceBytes !== 24) throw new FrameError("INVALID_NONCE_SIZE", `Invalid nonce size: expected 24 bytes, got ${nonceBytes}`);
  let text: string;
  try {
    text = openWithSessionKey(key, sealed as SealedMessage).text;
  } catch (error) {
    if (error instanceof TypeError) throw new FrameError("INVALID_UTF8", "Decrypted plaintext is not valid UTF-8");
    throw new FrameError("DECRYPTION_FAILED", `Failed to decrypt message: ${(error as Error).message}`);
  }
  let inner: Frame;
  try {
    const parsed: unknown = JSON.parse(text);
    inner = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Frame) : { prompt: text };
  } catch {
    inner = { prompt: text };
  }
  const prompt = typeof inner.prompt === "string" ? inner.prompt : text;
  if (prompt === "") throw new FrameError("INVALID_REQUEST", "prompt is required");
  return { prompt, maxTokens: maxTokensIn(inner.max_tokens) ?? maxTokensIn(frame.max_tokens) };
}

/** One `encrypted_chunk` (server.rs:3236-3300): the content sealed under AAD `chunk_<index>`, `final` on the last. */
export function encryptedChunk(session: Session, content: string, tokens: number, index: number, final: boolean, id: unknown): Frame {
  const key = sessionKeys.get(session)!;
  const sealed = sealWithSessionKey(key, content, chunkAad(index));
  return {
    ...(final ? { final: true } : {}),
    ...(id !== undefined ? { id } : {}),
    payload: { aadHex: sealed.aadHex, ciphertextHex: sealed.ciphertextHex, index, nonceHex: sealed.nonceHex },
    session_id: session.sessionId,
    tokens,
    type: "encrypted_chunk",
  };
}

/** The `encrypted_response` after the last chunk: the finish reason sealed under `encrypted_response_final` (server.rs:3314-3345). */
export function encryptedResponse(session: Session, finishReason: string, id: unknown): Frame {
  const key = sessionKeys.get(session)!;
  const sealed = sealWithSessionKey(key, finishReason, FINAL_RESPONSE_AAD);
  return {
    ...(id !== undefined ? { id } : {}),
    payload: { aadHex: sealed.aadHex, ciphertextHex: sealed.ciphertextHex, nonceHex: sealed.nonceHex },
    session_id: session.sessionId,
    type: "encrypted_response",
  };
}
