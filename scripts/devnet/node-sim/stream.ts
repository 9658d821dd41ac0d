/**
 * Streams one answer the way the real node's WebSocket loop does (fabstir-llm-node@85a87b8 src/api/server.rs):
 * one token per chunk frame, then a stream_end. Every frame is written with sorted keys (wire.ts).
 *
 * Plaintext (server.rs:3846-3899): `stream_chunk {content, tokens, id?}` (no session_id), then
 * `stream_end {reason:"complete", tokens_used, id?, finish_reason, usage{prompt_tokens, completion_tokens,
 * total_tokens, context_window_size}}`. A stream_cancel mid-stream ends it with
 * `stream_end {reason:"cancelled", finish_reason:"cancelled", tokens_used, session_id?}` and no id (server.rs:3824-3833).
 * Encrypted (server.rs:3264-3380): `encrypted_chunk {tokens, payload{ciphertextHex, nonceHex, aadHex, index}, id?,
 * session_id?, final?}`, then `encrypted_response {payload, id?, session_id?}` and `stream_end` with session_id.
 */
import { encryptedChunk, encryptedResponse } from "./encrypted.ts";
import { countToken, type SimContext } from "./context.ts";
import type { Session } from "./sessions.ts";
import { tokenText } from "./text.ts";

export interface Outlet {
  send(frame: Record<string, unknown>): void;
  isOpen(): boolean;
}

export interface StreamRequest {
  prompt: string;
  promptTokens: number;
  maxTokens: number;
  encrypted: boolean;
  /** The request's `id`, echoed on every frame of the answer but the cancelled stream_end. */
  messageId: unknown;
  /** The socket's session id, for the frames that carry one. */
  sessionId: string | undefined;
}

export interface StreamHandle {
  cancel(): void;
  done: Promise<void>;
}

function pause(ms: number): Promise<void> {
  // With no delay, still yield to the event loop so a stream_cancel can get in.
  return ms > 0 ? Bun.sleep(ms) : new Promise((resolve) => setImmediate(resolve));
}

export function startStream(ctx: SimContext, session: Session | undefined, outlet: Outlet, request: StreamRequest): StreamHandle {
  let cancelled = false;
  const withId = (frame: Record<string, unknown>) => (request.messageId === undefined ? frame : { ...frame, id: request.messageId });
  const withSession = (frame: Record<string, unknown>) => (request.sessionId === undefined ? frame : { ...frame, session_id: request.sessionId });
  // Like a model that stops at end-of-text: never more than SIM_TOKENS_PER_PROMPT, nor past the context.
  const total = Math.min(request.maxTokens, ctx.config.sim.tokensPerPrompt, ctx.config.maxContextLength - request.promptTokens);
  const finishReason = total === request.maxTokens ? "length" : "stop";

  const run = async () => {
    let generated = 0;
    while (generated < total) {
      if (cancelled) {
        outlet.send(withSession({ type: "stream_end", reason: "cancelled", finish_reason: "cancelled", tokens_used: generated }));
        return;
      }
      const content = tokenText(request.prompt, generated);
      countToken(ctx, session);
      generated++;
      // A hung node goes silent mid-stream; a closed socket has no one to talk to.
      if (ctx.faults.hung || !outlet.isOpen()) return;
      const last = generated === total;
      if (request.encrypted) {
        // Sealed with the session key under AAD chunk_<index> (encrypted.ts; server.rs:3236-3300).
        outlet.send(encryptedChunk(session!, content, 1, generated - 1, last, request.messageId));
      } else {
        outlet.send(withId({ type: "stream_chunk", content, tokens: 1 }));
      }
      if (!last) await pause(ctx.config.sim.tokenDelayMs);
    }
    if (ctx.faults.hung || !outlet.isOpen()) return;
    ctx.metrics.promptsServed++;
    if (request.encrypted) {
      outlet.send(encryptedResponse(session!, finishReason, request.messageId));
    }
    const end = withId({
      type: "stream_end",
      reason: "complete",
      tokens_used: generated,
      finish_reason: finishReason,
      usage: {
        prompt_tokens: request.promptTokens,
        completion_tokens: generated,
        total_tokens: request.promptTokens + generated,
        context_window_size: ctx.config.maxContextLength,
      },
    });
    outlet.send(request.encrypted ? withSession(end) : end);
  };

  return {
    cancel: () => {
      cancelled = true;
    },
    done: run(),
  };
}
