/**
 * The node's WebSocket protocol at GET /v1/ws.
 *
 * A session lives on the socket that opened it; when that socket closes every
 * one of its sessions ends and (on chain) is settled, like the real node.
 * Nothing a client sends can crash the stand-in: bad frames get an `error` frame.
 */
import type { ServerWebSocket } from "bun";
import { endSession, type SimContext } from "./context.ts";
import { encryptedInitAck, openEncryptedInit, openEncryptedMessage, rememberSessionKey } from "./encrypted.ts";
import {
  FrameError,
  chainIdOf,
  jobIdOf,
  maxTokensOf,
  maybeSessionId,
  parseFrame,
  promptOf,
  sessionIdOf,
  type Frame,
} from "./frames.ts";
import type { NodeSessionInit } from "../sdk-crypto/index.ts";
import type { Session } from "./sessions.ts";
import { startStream, type Outlet, type StreamHandle } from "./stream.ts";
import { estimatePromptTokens } from "./text.ts";

export interface Connection {
  id: number;
  open: boolean;
  sessions: Map<string, Session>;
  streams: Map<string, StreamHandle>;
}

export type SimSocket = ServerWebSocket<Connection>;

let nextConnectionId = 1;

export function newConnection(): Connection {
  return { id: nextConnectionId++, open: true, sessions: new Map(), streams: new Map() };
}

function outletOf(ws: SimSocket): Outlet {
  return {
    send: (frame) => {
      if (ws.data.open) ws.send(JSON.stringify(frame));
    },
    isOpen: () => ws.data.open,
  };
}

function sendError(ws: SimSocket, code: string, message: string, sessionId?: string): void {
  outletOf(ws).send({ type: "error", code, message, ...(sessionId ? { session_id: sessionId } : {}) });
}

export function handleOpen(ctx: SimContext, ws: SimSocket): void {
  ctx.metrics.websocketConnections++;
  ctx.log.debug(`WebSocket connection ${ws.data.id} opened`);
  outletOf(ws).send({ type: "connected" });
}

export function handleClose(ctx: SimContext, ws: SimSocket): void {
  const connection = ws.data;
  if (!connection.open) return;
  connection.open = false;
  ctx.metrics.websocketConnections--;
  for (const stream of connection.streams.values()) stream.cancel();
  for (const session of connection.sessions.values()) endSession(ctx, session);
  ctx.log.debug(`WebSocket connection ${connection.id} closed`);
}

export function handleMessage(ctx: SimContext, ws: SimSocket, raw: string | Buffer): void {
  if (ctx.faults.hung) return;
  let frame: Frame | undefined;
  try {
    frame = parseFrame(raw);
    dispatch(ctx, ws, frame);
  } catch (error) {
    if (error instanceof FrameError) {
      sendError(ws, error.code, error.message, frame ? maybeSessionId(frame) : undefined);
      return;
    }
    ctx.log.warn(`internal error handling a frame: ${String(error)}`);
    sendError(ws, "INTERNAL_ERROR", "internal error");
  }
}

function requireModel(ctx: SimContext): void {
  if (!ctx.state.modelLoaded) throw new FrameError("MODEL_NOT_READY", "the model is still loading");
}

function requireNotRejecting(ctx: SimContext): void {
  if (ctx.config.sim.reject) throw new FrameError("SESSION_REJECTED", "this node is not accepting sessions");
}

function requireChain(ctx: SimContext, chainId: number | undefined): number | undefined {
  const supported = ctx.config.chainId;
  if (chainId !== undefined && supported !== undefined && chainId !== supported) {
    throw new FrameError("UNSUPPORTED_CHAIN", `chain ${chainId} is not supported (this node serves ${supported})`);
  }
  return chainId ?? supported;
}

function openSession(
  ctx: SimContext,
  ws: SimSocket,
  sessionId: string,
  jobId: string | null,
  chainId: number | undefined,
  encrypted: boolean,
  sealed?: { init: NodeSessionInit; id: unknown },
): void {
  const opened = ctx.sessions.open(sessionId, jobId, chainId, encrypted);
  if (!opened.ok) throw new FrameError("SESSION_CLOSED", opened.reason);
  ws.data.sessions.set(sessionId, opened.session);
  ctx.log.info(`🔐 Session ${sessionId} initialized for job ${opened.session.jobId ?? "unknown"}`);
  if (sealed) {
    rememberSessionKey(opened.session, sealed.init);
    outletOf(ws).send(encryptedInitAck(opened.session, chainId, sealed.init, sealed.id));
    return;
  }
  outletOf(ws).send({ type: "session_init_ack", session_id: sessionId, job_id: opened.session.jobId });
}

function sessionOn(ws: SimSocket, sessionId: string): Session {
  const session = ws.data.sessions.get(sessionId);
  if (!session || session.ended) {
    throw new FrameError("SESSION_NOT_FOUND", `session ${sessionId} is not initialized on this connection`);
  }
  return session;
}

function stream(ctx: SimContext, ws: SimSocket, frame: Frame, encrypted: boolean): void {
  requireModel(ctx);
  const sessionId = sessionIdOf(frame);
  const session = sessionOn(ws, sessionId);
  if (ws.data.streams.has(sessionId)) {
    throw new FrameError("STREAM_IN_PROGRESS", `session ${sessionId} is already streaming an answer`);
  }
  const { prompt, maxTokens } = encrypted ? openEncryptedMessage(session, frame) : { prompt: promptOf(frame), maxTokens: maxTokensOf(frame) };
  const promptTokens = estimatePromptTokens(prompt);
  if (promptTokens >= ctx.config.maxContextLength) {
    throw new FrameError(
      "CONTEXT_LENGTH_EXCEEDED",
      `prompt of about ${promptTokens} tokens does not fit MAX_CONTEXT_LENGTH ${ctx.config.maxContextLength}`,
    );
  }
  const handle = startStream(ctx, session, outletOf(ws), {
    prompt,
    promptTokens,
    maxTokens,
    encrypted,
    ...(encrypted ? { id: frame.id } : {}),
  });
  ws.data.streams.set(sessionId, handle);
  void handle.done.finally(() => ws.data.streams.delete(sessionId));
}

function dispatch(ctx: SimContext, ws: SimSocket, frame: Frame): void {
  switch (frame.type) {
    case "session_init": {
      requireNotRejecting(ctx);
      requireModel(ctx);
      const sessionId = sessionIdOf(frame);
      openSession(ctx, ws, sessionId, jobIdOf(frame), requireChain(ctx, chainIdOf(frame)), false);
      return;
    }
    case "encrypted_session_init": {
      requireNotRejecting(ctx);
      requireModel(ctx);
      const sessionId = sessionIdOf(frame);
      // The job id comes from the decrypted payload, as on the real node; the plaintext job_id the SDK sends
      // beside it is not read (server.rs:2295-2319).
      const init = openEncryptedInit(ctx.config.hostPrivateKey, frame);
      const jobId = /^\d+$/.test(init.jobId) ? BigInt(init.jobId).toString() : null;
      openSession(ctx, ws, sessionId, jobId, requireChain(ctx, chainIdOf(frame)), true, { init, id: frame.id });
      return;
    }
    case "prompt":
    case "inference":
      return stream(ctx, ws, frame, false);
    case "encrypted_message":
      return stream(ctx, ws, frame, true);
    case "stream_cancel": {
      // Cancelling a stream that already finished is not an error: the race is normal.
      ws.data.streams.get(sessionIdOf(frame))?.cancel();
      return;
    }
    case "session_end": {
      const sessionId = sessionIdOf(frame);
      const session = ws.data.sessions.get(sessionId);
      if (!session) throw new FrameError("SESSION_NOT_FOUND", `session ${sessionId} is not open on this connection`);
      ws.data.streams.get(sessionId)?.cancel();
      ws.data.sessions.delete(sessionId);
      endSession(ctx, session);
      return;
    }
    case "ping":
      outletOf(ws).send({ type: "pong" });
      return;
    default:
      throw new FrameError("UNKNOWN_MESSAGE_TYPE", `unknown message type "${String(frame.type)}"`);
  }
}
