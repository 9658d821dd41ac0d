/**
 * Encrypted sessions, in the real node's frame shapes and error codes (fabstir-llm-node@85a87b8
 * src/api/server.rs:2198-2562 for `encrypted_session_init`, 2564-3640 for `encrypted_message`).
 *
 * Stand-in simplification: nothing is decrypted here. The job id comes from the frame's plaintext `job_id` (the SDK
 * sends it next to the payload, fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/SessionManager.ts:2120-2125)
 * or from `payload.jobIdHint`; the prompt of an `encrypted_message` is read from `payload.plaintextHint` when present,
 * else stands in by its size, and its max_tokens from the frame's `max_tokens`. The real crypto belongs to the SDK crypto module, not to this file.
 */
import type { SimContext } from "./context.ts";
import { asU64, isObject, jobIdOf, sessionIdOf, type Frame } from "./frames.ts";
import { answer, openOnSocket, outletOf, rejected, sendError, type SimSocket } from "./ws-common.ts";

/** Base Sepolia: what an encrypted init without a chain id is taken for (server.rs:2205-2208). */
const DEFAULT_CHAIN_ID = 84532;
const DEFAULT_MAX_TOKENS = 4000;

export function encryptedSessionInit(ctx: SimContext, ws: SimSocket, frame: Frame): void {
  if (rejected(ctx, ws, frame)) return;
  const sessionId = sessionIdOf(frame);
  const chainId = typeof frame.chain_id === "number" ? frame.chain_id : typeof frame.chainId === "number" ? frame.chainId : DEFAULT_CHAIN_ID;
  const reported = sessionId ?? "unknown";
  if (!ctx.config.hostPrivateKey) {
    // Keyless node: plaintext only (server.rs:2520-2560).
    sendError(ws, frame, {
      code: "ENCRYPTION_NOT_SUPPORTED",
      message: "Node does not have encryption key configured. Please use plaintext session_init or configure HOST_PRIVATE_KEY.",
      session_id: reported,
    });
    return;
  }
  const payload = frame.payload;
  if (!isObject(payload)) {
    sendError(ws, frame, { code: "MISSING_PAYLOAD", message: "encrypted_session_init must include payload object", session_id: reported });
    return;
  }
  const jobId = jobIdOf({ job_id: payload.jobIdHint }) ?? jobIdOf(frame);
  openOnSocket(ctx, ws, sessionId, jobId, chainId, true);
  outletOf(ws).send({
    type: "session_init_ack",
    status: "success",
    session_id: reported,
    job_id: jobId === undefined ? null : Number(jobId),
    chain_id: chainId,
    client_address: typeof payload.clientAddressHint === "string" ? payload.clientAddressHint : "",
    message: "Encrypted session initialized successfully",
    ...("id" in frame ? { id: frame.id } : {}),
  });
}

export function encryptedMessage(ctx: SimContext, ws: SimSocket, frame: Frame): void {
  const sessionId = sessionIdOf(frame) ?? ws.data.sessionId;
  if (sessionId === undefined) {
    sendError(ws, frame, { code: "MISSING_SESSION_ID", message: "encrypted_message requires session_id" });
    return;
  }
  const session = ctx.sessions.get(sessionId);
  if (!ctx.config.hostPrivateKey || !session?.encrypted) {
    sendError(ws, frame, { code: "SESSION_KEY_NOT_FOUND", message: `No session key found for session_id: ${sessionId}` });
    return;
  }
  const payload = frame.payload;
  if (!isObject(payload)) {
    sendError(ws, frame, { code: "MISSING_PAYLOAD", message: "encrypted_message must include payload object" });
    return;
  }
  const ciphertext = typeof payload.ciphertextHex === "string" ? payload.ciphertextHex : "";
  const prompt = typeof payload.plaintextHint === "string" ? payload.plaintextHint : "x".repeat(Math.floor(ciphertext.length / 2));
  // max_tokens travels inside the ciphertext; the stand-in takes it from the frame when a test puts it there.
  const maxTokens = Number(asU64(frame.max_tokens) ?? DEFAULT_MAX_TOKENS);
  answer(ctx, ws, frame, prompt, maxTokens, true, sessionId);
}
