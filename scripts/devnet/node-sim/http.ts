/**
 * The node's HTTP endpoints: health, version, models, one-shot inference,
 * checkpoint index and metrics.
 */
import { countToken, type SimContext } from "./context.ts";
import { answerText, estimatePromptTokens } from "./text.ts";

/** Reported by /v1/version; SIM_VERSION overrides it for version-check tests. */
export const DEFAULT_SIM_VERSION = "v8.4.1-node-sim";
const BUILD_DATE = "2026-07-01";
/** The chain the real node serves when CHAIN_ID is not set: Base Sepolia. */
const DEFAULT_CHAIN_ID = 84532;

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status });
}

function healthBody(ctx: SimContext) {
  const issues: string[] = [];
  let status: "healthy" | "degraded" | "unhealthy" = "healthy";
  if (ctx.state.stopping) {
    status = "unhealthy";
    issues.push("shutting down");
  } else if (!ctx.state.modelLoaded) {
    // Answering (degraded) before the model is loaded is exactly why /health alone is no readiness signal.
    status = "degraded";
    issues.push("model not loaded yet");
  }
  if (ctx.state.chainFailure) {
    if (status === "healthy") status = "degraded";
    issues.push(`proof submission failed: ${ctx.state.chainFailure}`);
  }
  return { status, issues };
}

function versionBody(ctx: SimContext, version: string) {
  const features = ["multi-chain", "websocket-sessions", "checkpoints", "streaming"];
  if (ctx.config.hostPrivateKey) features.push("end-to-end-encryption");
  if (ctx.chain) features.push("proof-submission");
  return {
    version,
    build: "node-sim",
    date: BUILD_DATE,
    features,
    chains: [ctx.config.chainId ?? DEFAULT_CHAIN_ID],
  };
}

/**
 * The real node's shape, `{models:[{id, name, description?}], chain_id?, chain_name?}` (fabstir-llm-node@85a87b8
 * src/api/handlers.rs:84-98), filled from the P2P node's capabilities (src/api/server.rs:1482-1500); the stand-in
 * names the model file it loaded, so tests with several nodes can tell which one answered.
 */
function modelsBody(ctx: SimContext) {
  const name = ctx.config.modelFile;
  return { models: [{ id: name.replace(/\.gguf$/i, ""), name }] };
}

async function inference(ctx: SimContext, request: Request): Promise<Response> {
  if (!ctx.state.modelLoaded) return json({ error: "model not loaded yet" }, 503);
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = await request.json();
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    body = parsed as Record<string, unknown>;
  } catch {
    return json({ error: "request body must be a JSON object" }, 400);
  }
  const prompt = body.prompt;
  if (typeof prompt !== "string" || prompt === "") return json({ error: "prompt is required" }, 400);
  const maxTokens = body.max_tokens ?? body.maxTokens;
  if (maxTokens !== undefined && (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    return json({ error: "max_tokens must be a positive integer" }, 400);
  }
  const promptTokens = estimatePromptTokens(prompt);
  if (promptTokens >= ctx.config.maxContextLength) {
    return json({ error: `prompt does not fit MAX_CONTEXT_LENGTH ${ctx.config.maxContextLength}` }, 400);
  }
  const tokens = Math.min(
    maxTokens ?? Number.POSITIVE_INFINITY,
    ctx.config.sim.tokensPerPrompt,
    ctx.config.maxContextLength - promptTokens,
  );
  // Tokens served for a known live session count toward its checkpoints, like streamed ones.
  const sessionId = body.session_id ?? body.sessionId;
  const session = typeof sessionId === "string" ? ctx.sessions.get(sessionId) : undefined;
  for (let i = 0; i < tokens; i++) {
    if (session && !session.ended) countToken(ctx, session);
    else {
      ctx.metrics.tokensGenerated++;
      ctx.faults.onToken();
    }
  }
  ctx.metrics.promptsServed++;
  return json({
    model: typeof body.model === "string" ? body.model : ctx.config.modelFile,
    content: answerText(prompt, tokens),
    tokens_used: tokens,
    finish_reason: maxTokens !== undefined && tokens === maxTokens ? "length" : "stop",
    usage: { prompt_tokens: promptTokens, completion_tokens: tokens, total_tokens: promptTokens + tokens },
  });
}

/** Routes every request but the WebSocket upgrade (handled by the server). */
export async function route(ctx: SimContext, request: Request, version: string): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = request.method;
  if (method === "GET" && path === "/health") return json(healthBody(ctx));
  if (method === "GET" && path === "/v1/version") return json(versionBody(ctx, version));
  if (method === "GET" && path === "/v1/models") return json(modelsBody(ctx));
  if (method === "POST" && path === "/v1/inference") return inference(ctx, request);
  if (method === "GET" && path === "/metrics") {
    const text = ctx.metrics.render(ctx.sessions.activeCount(), ctx.state.modelLoaded);
    return new Response(text, { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
  }
  const checkpointMatch = /^\/v1\/checkpoints\/([^/]+)$/.exec(path);
  if (method === "GET" && checkpointMatch) {
    const sessionId = decodeURIComponent(checkpointMatch[1] ?? "");
    const session = ctx.sessions.get(sessionId);
    if (!session) return json({ error: "session not found", session_id: sessionId }, 404);
    return json(ctx.sessions.index(session));
  }
  if (path === "/v1/ws") return json({ error: "WebSocket upgrade required" }, 426);
  return json({ error: "not found", path }, 404);
}
