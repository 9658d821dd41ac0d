/**
 * The node's HTTP endpoints the host relies on: health, version, models, one-shot inference, checkpoint index and
 * metrics, with the real node's status codes and body shapes (fabstir-llm-node@85a87b8 src/api/server.rs:1566-1590).
 */
import { checkpointIndexBody } from "./checkpoint-index.ts";
import { checkpointsEnabled, countToken, type SimContext } from "./context.ts";
import { METRICS_CONTENT_TYPE } from "./metrics.ts";
import { answerText, estimatePromptTokens } from "./text.ts";
import { nodeResponse, structResponse } from "./wire.ts";

/** Reported by /v1/version (`build`); SIM_VERSION overrides it for version-check tests. */
export const DEFAULT_SIM_VERSION = "v8.38.0-node-sim";
const BUILD_DATE = "2026-07-18";
/** The real node's SUPPORTED_CHAINS (fabstir-llm-node@85a87b8 src/version.rs:442-445). */
const SUPPORTED_CHAINS = [84532, 5611];

/**
 * The API server is never handed the P2P node, so `health_check` always reports it missing: one issue = "degraded"
 * for the node's whole life (src/api/server.rs:1505-1534; HealthResponse field order status, issues:
 * src/api/handlers.rs:101-105).
 */
function health(): Response {
  return structResponse({ status: "degraded", issues: ["No P2P node available"] });
}

/** `get_version_info` (src/version.rs:851-860): built with `json!`, so its keys come out sorted. */
function version(build: string): Response {
  const semver = /^v?(\d+\.\d+\.\d+)/.exec(build)?.[1] ?? "0.0.0";
  return nodeResponse({
    version: semver,
    build,
    date: BUILD_DATE,
    features: ["multi-chain", "websocket-sessions", "checkpoints", "streaming", "end-to-end-encryption"],
    chains: SUPPORTED_CHAINS,
    breaking_changes: [],
  });
}

/**
 * `get_available_models` needs the P2P node too, so on a running node /v1/models is 503 with the ErrorResponse
 * struct (src/api/server.rs:1482-1487, src/api/errors.rs:8-15, 67, 162).
 */
function models(): Response {
  return structResponse({ error_type: "service_unavailable", message: "no available nodes", request_id: null, details: null }, 503);
}

/**
 * GET /v1/checkpoints/:session_id (src/api/server.rs:1630-1716): 503 without a checkpoint manager (no host key),
 * 404 while the session has no published checkpoint, else the index.
 */
function checkpoints(ctx: SimContext, sessionId: string): Response {
  if (!checkpointsEnabled(ctx)) return nodeResponse({ error: "Checkpoint service unavailable" }, 503);
  const session = ctx.sessions.get(sessionId);
  if (!session || session.checkpoints.length === 0) {
    return nodeResponse({ error: `No checkpoints found for session ${sessionId}` }, 404);
  }
  return nodeResponse(checkpointIndexBody(session, ctx.config.hostPrivateKey ?? ""));
}

/**
 * Stand-in only (the real node has no such route): what the stand-in counted for a session, so tests can compare
 * what was generated with what was proven. The real index only shows checkpoints.
 */
/**
 * Stand-in only: the model file it loaded. The real node names its model nowhere a client can read (/v1/models is 503
 * on a running node, server.rs:1482-1487; the start-up line gives a random id), so tests tell nodes apart by this.
 */
function simModel(ctx: SimContext): Response {
  return nodeResponse({ modelFile: ctx.config.modelFile, modelPath: ctx.config.modelPath });
}

function simSession(ctx: SimContext, sessionId: string): Response {
  const session = ctx.sessions.get(sessionId);
  if (!session) return nodeResponse({ error: `unknown session ${sessionId}` }, 404);
  return nodeResponse({
    sessionId,
    jobId: session.jobId,
    generatedTokens: session.totalTokens,
    checkpointedTokens: session.lastCheckpoint,
    checkpoints: session.checkpoints.length,
    ended: session.ended,
  });
}

async function inference(ctx: SimContext, request: Request): Promise<Response> {
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = await request.json();
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    body = parsed as Record<string, unknown>;
  } catch {
    return nodeResponse({ error: "request body must be a JSON object" }, 400);
  }
  const prompt = body.prompt;
  if (typeof prompt !== "string" || prompt === "") return nodeResponse({ error: "prompt is required" }, 400);
  const maxTokens = body.max_tokens ?? body.maxTokens;
  if (maxTokens !== undefined && (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    return nodeResponse({ error: "max_tokens must be a positive integer" }, 400);
  }
  const promptTokens = estimatePromptTokens(prompt);
  if (promptTokens >= ctx.config.maxContextLength) {
    return nodeResponse({ error: `prompt does not fit MAX_CONTEXT_LENGTH ${ctx.config.maxContextLength}` }, 400);
  }
  const tokens = Math.min(maxTokens ?? Number.POSITIVE_INFINITY, ctx.config.sim.tokensPerPrompt, ctx.config.maxContextLength - promptTokens);
  // Tokens served for a known live session count toward its checkpoints, like streamed ones.
  const sessionId = body.session_id ?? body.sessionId;
  const known = typeof sessionId === "string" ? ctx.sessions.get(sessionId) : undefined;
  const session = known && !known.ended ? known : undefined;
  for (let i = 0; i < tokens; i++) countToken(ctx, session);
  ctx.metrics.promptsServed++;
  return nodeResponse({
    model: typeof body.model === "string" ? body.model : ctx.config.modelFile,
    content: answerText(prompt, tokens),
    tokens_used: tokens,
    finish_reason: maxTokens !== undefined && tokens === maxTokens ? "length" : "stop",
    usage: { prompt_tokens: promptTokens, completion_tokens: tokens, total_tokens: promptTokens + tokens },
  });
}

/** Routes every request but the WebSocket upgrade (handled by the server). */
export async function route(ctx: SimContext, request: Request, build: string): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = request.method;
  if (method === "GET" && path === "/health") return health();
  if (method === "GET" && path === "/v1/version") return version(build);
  if (method === "GET" && path === "/v1/models") return models();
  if (method === "POST" && path === "/v1/inference") return inference(ctx, request);
  if (method === "GET" && path === "/metrics") {
    const text = ctx.metrics.render(ctx.sessions.activeCount(), ctx.state.modelLoaded);
    return new Response(text, { headers: { "content-type": METRICS_CONTENT_TYPE } });
  }
  if (method === "GET" && path === "/sim/model") return simModel(ctx);
  const simMatch = /^\/sim\/sessions\/([^/]+)$/.exec(path);
  if (method === "GET" && simMatch) return simSession(ctx, decodeURIComponent(simMatch[1] ?? ""));
  const checkpointMatch = /^\/v1\/checkpoints\/([^/]+)$/.exec(path);
  if (method === "GET" && checkpointMatch) return checkpoints(ctx, decodeURIComponent(checkpointMatch[1] ?? ""));
  // axum answers an unmatched route 404 with an empty body; a plain GET on /v1/ws fails the upgrade extractor.
  if (path === "/v1/ws") return new Response("Connection header did not include 'upgrade'", { status: 400 });
  return new Response(null, { status: 404 });
}
