/**
 * The node's WebSocket protocol at GET /v1/ws, as the real node's `handle_websocket` runs it
 * (fabstir-llm-node@85a87b8 src/api/server.rs:2063-4330).
 *
 * One socket tracks one session: the last init's session_id, job_id and chain_id. When the socket closes, that job
 * is settled. A frame the node has no handler for (unknown type, `session_end`, a JSON `ping`, bad JSON, binary)
 * gets no answer at all; while an answer streams, every frame but `stream_cancel` is read and dropped
 * (server.rs:3816-3842). Answers echo the request's `id`. Every frame is written with sorted keys (wire.ts).
 */
import { endSession, type SimContext } from "./context.ts";
import { asU64, chainIdOf, isObject, jobIdJson, jobIdOf, parseFrame, sessionIdOf, type Frame } from "./frames.ts";
import { answer, openOnSocket, outletOf, rejected, socketSession, type SimSocket } from "./ws-common.ts";
import { encryptedMessage, encryptedSessionInit } from "./ws-encrypted.ts";

export { newConnection, type Connection } from "./ws-connection.ts";
export type { SimSocket } from "./ws-common.ts";

/** The model name a prompt frame without one is given (server.rs:3704). */
const DEFAULT_MODEL = "tiny-vicuna";
/** max_tokens of a prompt frame without one (server.rs:3708). */
const DEFAULT_MAX_TOKENS = 4000;

export function handleOpen(ctx: SimContext, ws: SimSocket): void {
  ctx.metrics.websocketConnections++;
  ctx.log.debug(`WebSocket connection ${ws.data.id} opened`);
  outletOf(ws).send({ type: "connected", message: "WebSocket connected successfully" });
}

export function handleClose(ctx: SimContext, ws: SimSocket): void {
  const connection = ws.data;
  if (!connection.open) return;
  connection.open = false;
  ctx.metrics.websocketConnections--;
  connection.stream?.cancel();
  const session = socketSession(ctx, ws);
  if (session) endSession(ctx, session);
  ctx.log.debug(`WebSocket connection ${connection.id} closed`);
}

export function handleMessage(ctx: SimContext, ws: SimSocket, raw: string | Buffer): void {
  if (ctx.faults.hung) return;
  const frame = parseFrame(raw);
  if (!frame) return;
  if (ws.data.stream) {
    if (frame.type === "stream_cancel") ws.data.stream.cancel();
    return;
  }
  switch (frame.type) {
    case "session_init":
      return sessionInit(ctx, ws, frame);
    case "encrypted_session_init":
      return encryptedSessionInit(ctx, ws, frame);
    case "encrypted_message":
      return encryptedMessage(ctx, ws, frame);
    case "prompt":
    case "inference":
      return prompt(ctx, ws, frame);
    default:
      // stream_cancel with nothing streaming, session_end, a JSON ping, anything else: no handler, no answer.
      ctx.log.debug(`no handler for a "${String(frame.type)}" frame`);
  }
}

/** session_init → session_init_ack (server.rs:2115-2196). */
function sessionInit(ctx: SimContext, ws: SimSocket, frame: Frame): void {
  if (rejected(ctx, ws, frame)) return;
  const sessionId = sessionIdOf(frame);
  const jobId = jobIdOf(frame);
  const chainId = chainIdOf(frame);
  openOnSocket(ctx, ws, sessionId, jobId, chainId, false);
  outletOf(ws).send({
    type: "session_init_ack",
    status: "success",
    session_id: sessionId ?? "unknown",
    job_id: jobIdJson(jobId),
    chain_id: chainId ?? null,
    message: "Session initialized successfully",
    ...("id" in frame ? { id: frame.id } : {}),
  });
}

/** The request a prompt/inference frame carries, or undefined where the node's deserializer refuses it. */
function requestOf(frame: Frame): { prompt: string; maxTokens: number } | undefined {
  const request =
    frame.type === "prompt" && !isObject(frame.request)
      ? {
          model: typeof frame.model === "string" ? frame.model : DEFAULT_MODEL,
          prompt: typeof frame.prompt === "string" ? frame.prompt : "",
          max_tokens: Number(asU64(frame.max_tokens) ?? DEFAULT_MAX_TOKENS),
        }
      : frame.request;
  // InferenceRequest needs model, prompt and a u32 max_tokens (src/api/handlers.rs:7-10).
  if (!isObject(request) || typeof request.model !== "string" || typeof request.prompt !== "string") return undefined;
  const maxTokens = asU64(request.max_tokens);
  if (maxTokens === undefined || Number(maxTokens) > 0xffffffff) return undefined;
  return { prompt: request.prompt, maxTokens: Number(maxTokens) };
}

/** prompt / inference (server.rs:3646-3966): the session comes from the socket, a job id may come with the prompt. */
function prompt(ctx: SimContext, ws: SimSocket, frame: Frame): void {
  if (ws.data.jobId === undefined) ws.data.jobId = jobIdOf(frame);
  const request = requestOf(frame);
  if (!request) {
    ctx.log.debug("inference request could not be read: no answer");
    return;
  }
  // The cancelled stream_end names the socket's session (server.rs:3830).
  answer(ctx, ws, frame, request.prompt, request.maxTokens, false, ws.data.sessionId);
}
