/**
 * Reads what the monitor needs out of one WebSocket text frame, without ever changing it. The node's protocol sends
 * ids as snake_case or camelCase, and job ids as numbers or strings; everything else is ignored. Hostile input (bad
 * JSON, wrong types, absurd numbers) yields `undefined`, never an exception.
 */
export type FrameEvent =
  | { kind: "session_init"; sessionId: string; jobId?: string; encrypted: boolean; chainId?: number }
  | { kind: "session_init_ack"; sessionId?: string; jobId?: string }
  | { kind: "tokens"; sessionId?: string; tokens: number; encrypted: boolean }
  | { kind: "stream_end"; sessionId?: string; tokensUsed?: number; reason?: string }
  | { kind: "session_end"; sessionId?: string }
  | { kind: "error"; sessionId?: string; code?: string; message?: string };

const MAX_TOKENS_PER_FRAME = 1_000_000;
/** Token frames are small; larger frames are prompts or ciphertext the monitor has no business parsing in full. */
const MAX_PARSED_FRAME = 64 * 1024;

type Json = Record<string, unknown>;

function id(value: unknown): string | undefined {
  if (typeof value === "string" && value.length > 0 && value.length <= 128) return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

function count(value: unknown): number | undefined {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= MAX_TOKENS_PER_FRAME ? n : undefined;
}

const field = (frame: Json, snake: string, camel: string) => frame[snake] ?? frame[camel];

/** Frames that carry one of the types we track, checked before paying for JSON.parse. */
const INTERESTING = /"type"\s*:\s*"(session_init|encrypted_session_init|session_init_ack|stream_chunk|encrypted_chunk|stream_end|session_end|error)"/;

export function readFrame(data: string): FrameEvent | undefined {
  if (data.length > MAX_PARSED_FRAME && !data.startsWith('{"type":"encrypted_chunk"')) return undefined;
  if (!INTERESTING.test(data.length > 256 ? data.slice(0, 256) : data)) return undefined;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!frame || typeof frame !== "object" || Array.isArray(frame)) return undefined;
  const f = frame as Json;
  const sessionId = id(field(f, "session_id", "sessionId"));
  switch (f.type) {
    case "session_init":
      return sessionId ? { kind: "session_init", sessionId, jobId: id(field(f, "job_id", "jobId")), encrypted: false, chainId: count(field(f, "chain_id", "chainId")) } : undefined;
    case "encrypted_session_init":
      return sessionId ? { kind: "session_init", sessionId, encrypted: true, chainId: count(field(f, "chain_id", "chainId")) } : undefined;
    case "session_init_ack":
      return { kind: "session_init_ack", sessionId, jobId: id(field(f, "job_id", "jobId")) };
    case "stream_chunk":
    case "encrypted_chunk": {
      const tokens = count(f.tokens);
      return tokens === undefined ? undefined : { kind: "tokens", sessionId, tokens, encrypted: f.type === "encrypted_chunk" };
    }
    case "stream_end": {
      const usage = f.usage && typeof f.usage === "object" ? (f.usage as Json) : undefined;
      const tokensUsed = count(field(f, "tokens_used", "tokensUsed")) ?? count(usage?.total_tokens ?? usage?.totalTokens);
      return { kind: "stream_end", sessionId, tokensUsed, reason: typeof f.reason === "string" ? f.reason.slice(0, 64) : undefined };
    }
    case "session_end":
      return { kind: "session_end", sessionId };
    case "error":
      return { kind: "error", sessionId, code: typeof f.code === "string" ? f.code.slice(0, 64) : undefined, message: typeof f.message === "string" ? f.message.slice(0, 256) : undefined };
    default:
      return undefined;
  }
}
