/**
 * Reads what the monitor needs out of one WebSocket text frame, without ever changing it. The node's protocol sends
 * ids as snake_case or camelCase, and job ids as numbers or strings; everything else is ignored. Hostile input (bad
 * JSON, wrong types, absurd numbers) yields `undefined`, never an exception.
 *
 * Where `"type"` sits: the node builds frames with serde_json's `json!` without `preserve_order`, so keys come out in
 * alphabetical order and `type` is (nearly) the last key (fabstir-llm-node@85a87b8 src/api/server.rs:3266-3285, an
 * `encrypted_chunk` with `payload` before `session_id`, `tokens`, `type`). The SDK writes `type` first
 * (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/SessionManager.ts:2120-2125). So the type is looked for in
 * the first and the last few hundred characters, and a large frame is never parsed whole on the hot path.
 */
export type FrameEvent =
  | { kind: "session_init"; sessionId: string; jobId?: string; encrypted: boolean; chainId?: number; messageId?: string | number }
  | { kind: "session_init_ack"; sessionId?: string; jobId?: string }
  | { kind: "tokens"; sessionId?: string; tokens: number; encrypted: boolean }
  | { kind: "stream_end"; sessionId?: string; tokensUsed?: number; reason?: string }
  | { kind: "session_end"; sessionId?: string }
  | { kind: "error"; sessionId?: string; code?: string; message?: string };

const MAX_TOKENS_PER_FRAME = 1_000_000;
/** Token frames are small; larger frames are prompts, images or ciphertext the monitor has no business parsing. */
const MAX_PARSED_FRAME = 64 * 1024;
/** How far from either end of a frame its `"type"` is looked for. */
const TYPE_WINDOW = 512;

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

/** A request id to echo back, as the node does (`error_msg["id"] = msg_id.clone()`, src/api/server.rs:2465-2467). */
function messageId(value: unknown): string | number | undefined {
  if (typeof value === "string" && value.length <= 128) return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return undefined;
}

const field = (frame: Json, snake: string, camel: string) => frame[snake] ?? frame[camel];

/** Frames that carry one of the types we track, checked before paying for JSON.parse. */
const INTERESTING = /(?<!\\)"type"\s*:\s*"(session_init|encrypted_session_init|session_init_ack|stream_chunk|encrypted_chunk|stream_end|session_end|error)"/;

/** The tracked type named near either end of the frame, if any. */
export function frameType(data: string): string | undefined {
  if (data.length <= 2 * TYPE_WINDOW) return INTERESTING.exec(data)?.[1];
  return INTERESTING.exec(data.slice(0, TYPE_WINDOW))?.[1] ?? INTERESTING.exec(data.slice(-TYPE_WINDOW))?.[1];
}

/**
 * A chunk too large to parse (a long answer, encrypted): its small fields sit before or after the payload, so they are
 * read from the ends. A quote inside a JSON string is always escaped, so `"tokens"` preceded by no backslash is a key.
 */
function largeChunk(data: string, type: string): FrameEvent | undefined {
  const ends = `${data.slice(0, TYPE_WINDOW)}\u0000${data.slice(-TYPE_WINDOW)}`;
  const tokens = count(Number(/(?<!\\)"tokens"\s*:\s*(\d{1,9})\b/.exec(ends)?.[1] ?? NaN));
  if (tokens === undefined) return undefined;
  const session = /(?<!\\)"(?:session_id|sessionId)"\s*:\s*"([^"\\]{1,128})"/.exec(ends)?.[1];
  return { kind: "tokens", sessionId: session, tokens, encrypted: type === "encrypted_chunk" };
}

export function readFrame(data: string): FrameEvent | undefined {
  const type = frameType(data);
  if (!type) return undefined;
  if (data.length > MAX_PARSED_FRAME) return type === "encrypted_chunk" || type === "stream_chunk" ? largeChunk(data, type) : undefined;
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
    case "encrypted_session_init":
      // The SDK sends the job id in plaintext next to the encrypted payload (SessionManager.ts:2124).
      return sessionId
        ? {
            kind: "session_init",
            sessionId,
            jobId: id(field(f, "job_id", "jobId")),
            encrypted: f.type === "encrypted_session_init",
            chainId: count(field(f, "chain_id", "chainId")),
            messageId: messageId(f.id),
          }
        : undefined;
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
      return {
        kind: "error",
        sessionId,
        code: typeof f.code === "string" ? f.code.slice(0, 64) : undefined,
        message: typeof f.message === "string" ? f.message.slice(0, 256) : undefined,
      };
    default:
      return undefined;
  }
}
