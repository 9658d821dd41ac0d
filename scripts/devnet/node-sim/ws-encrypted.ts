/**
 * Encrypted sessions, in the real node's frame shapes and error codes (fabstir-llm-node@85a87b8
 * src/api/server.rs:2198-2562 for `encrypted_session_init`, 2564-3640 for `encrypted_message`), with the real crypto:
 * the init is opened with HOST_PRIVATE_KEY and yields the job id and the session key (the plaintext `job_id` the SDK
 * sends beside it is not read, server.rs:2295-2319); every prompt is opened and every chunk sealed with that key
 * (encrypted.ts, over scripts/devnet/sdk-crypto).
 */
import type { SimContext } from "./context.ts";
import { encryptedInitAck, FrameError, openEncryptedInit, openEncryptedMessage, rememberSessionKey } from "./encrypted.ts";
import { sessionIdOf, type Frame } from "./frames.ts";
import { answer, openOnSocket, outletOf, rejected, sendError, type SimSocket } from "./ws-common.ts";

/** Base Sepolia: what an encrypted init without a chain id is taken for (server.rs:2205-2208). */
const DEFAULT_CHAIN_ID = 84532;
const DEFAULT_MAX_TOKENS = 4000;

function refused(ws: SimSocket, frame: Frame, error: unknown, sessionId?: string): boolean {
  if (!(error instanceof FrameError)) throw error;
  sendError(ws, frame, { code: error.code, message: error.message, ...(sessionId !== undefined ? { session_id: sessionId } : {}) });
  return true;
}

export function encryptedSessionInit(ctx: SimContext, ws: SimSocket, frame: Frame): void {
  if (rejected(ctx, ws, frame)) return;
  const sessionId = sessionIdOf(frame);
  const chainId = typeof frame.chain_id === "number" ? frame.chain_id : typeof frame.chainId === "number" ? frame.chainId : DEFAULT_CHAIN_ID;
  const reported = sessionId ?? "unknown";
  let init;
  try {
    init = openEncryptedInit(ctx.config.hostPrivateKey, frame);
  } catch (error) {
    refused(ws, frame, error, reported);
    return;
  }
  const jobId = /^\d+$/.test(init.jobId) ? BigInt(init.jobId).toString() : undefined;
  openOnSocket(ctx, ws, sessionId, jobId, chainId, true);
  const session = sessionId === undefined ? undefined : ctx.sessions.get(sessionId);
  if (session) {
    rememberSessionKey(session, init);
    outletOf(ws).send(encryptedInitAck(session, chainId, init, "id" in frame ? frame.id : undefined));
  }
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
  let opened;
  try {
    opened = openEncryptedMessage(session, frame);
  } catch (error) {
    refused(ws, frame, error);
    return;
  }
  answer(ctx, ws, frame, opened.prompt, opened.maxTokens ?? DEFAULT_MAX_TOKENS, true, sessionId);
}
