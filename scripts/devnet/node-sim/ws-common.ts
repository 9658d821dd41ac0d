/**
 * What the plaintext and encrypted WebSocket handlers share: writing frames (sorted keys, wire.ts), coded errors
 * with the request's id echoed, opening the socket's session, and streaming an answer.
 */
import type { ServerWebSocket } from "bun";
import type { SimContext } from "./context.ts";
import { sessionIdOf, type Frame } from "./frames.ts";
import type { Session } from "./sessions.ts";
import { startStream, type Outlet } from "./stream.ts";
import { estimatePromptTokens } from "./text.ts";
import { nodeJson } from "./wire.ts";
import type { Connection } from "./ws-connection.ts";

export type SimSocket = ServerWebSocket<Connection>;

export function outletOf(ws: SimSocket): Outlet {
  return {
    send: (frame) => {
      if (ws.data.open) ws.send(nodeJson(frame));
    },
    isOpen: () => ws.data.open,
  };
}

/** An `error` frame with the request's id echoed (every coded error the node sends does this). */
export function sendError(ws: SimSocket, frame: Frame, fields: Record<string, unknown>): void {
  outletOf(ws).send({ type: "error", ...fields, ...("id" in frame ? { id: frame.id } : {}) });
}

/** The socket's session as the registry knows it, with the socket's job id carried over. */
export function socketSession(ctx: SimContext, ws: SimSocket): Session | undefined {
  const { sessionId, jobId } = ws.data;
  const session = sessionId === undefined ? undefined : ctx.sessions.get(sessionId);
  if (session && jobId !== undefined && session.jobId === null) session.jobId = jobId;
  return session;
}

/** SIM_REJECT: a stand-in switch, the real node accepts every init. */
export function rejected(ctx: SimContext, ws: SimSocket, frame: Frame): boolean {
  if (!ctx.config.sim.reject) return false;
  sendError(ws, frame, { code: "SESSION_REJECTED", message: "this node is not accepting sessions (SIM_REJECT)", session_id: sessionIdOf(frame) ?? "unknown" });
  return true;
}

/** Records the socket's session and opens it in the registry; asks the chain for the job's minimum claim. */
export function openOnSocket(
  ctx: SimContext,
  ws: SimSocket,
  sessionId: string | undefined,
  jobId: string | undefined,
  chainId: number | undefined,
  encrypted: boolean,
): void {
  ws.data.sessionId = sessionId;
  ws.data.jobId = jobId;
  ws.data.chainId = chainId;
  if (sessionId === undefined) return;
  const session = ctx.sessions.open(sessionId, jobId ?? null, chainId, encrypted);
  ctx.log.info(`✅ Session created in store: ${sessionId} (job ${jobId ?? "none"})`);
  const chain = ctx.chain;
  if (chain && jobId !== undefined) {
    void chain.minBillable(jobId, ctx.config.sim.checkpointInterval).then((value) => {
      session.minBillable = value;
    });
  }
}

/** Streams an answer for a plaintext or decrypted prompt on this socket's session. */
export function answer(
  ctx: SimContext,
  ws: SimSocket,
  frame: Frame,
  prompt: string,
  maxTokens: number,
  encrypted: boolean,
  sessionId: string | undefined,
): void {
  const promptTokens = estimatePromptTokens(prompt);
  const contextWindow = ctx.config.maxContextLength;
  if (promptTokens >= contextWindow) {
    // TOKEN_LIMIT_EXCEEDED, then a stream_end so the client knows the answer is over (server.rs:3908-3964).
    sendError(ws, frame, {
      code: "TOKEN_LIMIT_EXCEEDED",
      message: `Prompt (${promptTokens} tokens) exceeds context window (${contextWindow} tokens) by ${promptTokens - contextWindow} tokens`,
      prompt_tokens: promptTokens,
      context_window_size: contextWindow,
    });
    outletOf(ws).send({ type: "stream_end", reason: "error", tokens_used: 0, ...("id" in frame ? { id: frame.id } : {}) });
    return;
  }
  const handle = startStream(ctx, socketSession(ctx, ws), outletOf(ws), {
    prompt,
    promptTokens,
    maxTokens,
    encrypted,
    messageId: frame.id,
    sessionId,
  });
  ws.data.stream = handle;
  void handle.done.finally(() => {
    if (ws.data.stream === handle) ws.data.stream = undefined;
  });
}
