/**
 * Streams one answer as stream_chunk (or encrypted_chunk) frames followed by a
 * stream_end, counting every token toward the session's checkpoints.
 */
import { countToken, type SimContext } from "./context.ts";
import { encryptedChunk, encryptedResponse } from "./encrypted.ts";
import type { Session } from "./sessions.ts";
import { chunkSize, tokenText } from "./text.ts";

export interface Outlet {
  send(frame: Record<string, unknown>): void;
  isOpen(): boolean;
}

export interface StreamRequest {
  prompt: string;
  promptTokens: number;
  maxTokens: number | undefined;
  encrypted: boolean;
  /** The encrypted_message's `id`, echoed on its chunks and response. */
  id?: unknown;
}

export interface StreamHandle {
  cancel(): void;
  done: Promise<void>;
}

function pause(ms: number): Promise<void> {
  // With no delay, still yield to the event loop so a stream_cancel can get in.
  return ms > 0 ? Bun.sleep(ms) : new Promise((resolve) => setImmediate(resolve));
}

export function startStream(ctx: SimContext, session: Session, outlet: Outlet, request: StreamRequest): StreamHandle {
  let cancelled = false;
  // Like a model that stops at end-of-text: never more than SIM_TOKENS_PER_PROMPT, nor past the context.
  const total = Math.min(
    request.maxTokens ?? Number.POSITIVE_INFINITY,
    ctx.config.sim.tokensPerPrompt,
    ctx.config.maxContextLength - request.promptTokens,
  );

  const run = async () => {
    let generated = 0;
    let chunkIndex = 0;
    while (generated < total && !cancelled) {
      const size = Math.min(chunkSize(chunkIndex), total - generated);
      let content = "";
      for (let i = 0; i < size; i++) {
        content += tokenText(request.prompt, generated + i);
        countToken(ctx, session);
      }
      generated += size;
      // A hung node goes silent mid-stream; a closed socket has no one to talk to.
      if (ctx.faults.hung || !outlet.isOpen()) return;
      if (request.encrypted) {
        outlet.send(encryptedChunk(session, content, size, chunkIndex, generated >= total, request.id));
      } else {
        outlet.send({ type: "stream_chunk", session_id: session.sessionId, content, tokens: size });
      }
      chunkIndex++;
      await pause(ctx.config.sim.tokenDelayMs);
    }
    if (ctx.faults.hung || !outlet.isOpen()) return;
    ctx.metrics.promptsServed++;
    // The node seals the finish reason after the last chunk of a completed answer (server.rs:3310-3345).
    if (request.encrypted && generated >= total) outlet.send(encryptedResponse(session, generated === request.maxTokens ? "length" : "stop", request.id));
    outlet.send({
      type: "stream_end",
      session_id: session.sessionId,
      reason: generated < total ? "cancelled" : "complete",
      tokens_used: generated,
      usage: {
        prompt_tokens: request.promptTokens,
        completion_tokens: generated,
        total_tokens: request.promptTokens + generated,
      },
    });
  };

  return {
    cancel: () => {
      cancelled = true;
    },
    done: run(),
  };
}
