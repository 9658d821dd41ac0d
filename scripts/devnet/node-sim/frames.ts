/**
 * Reading client frames. Clients send ids as snake_case or camelCase and job
 * ids as numbers or decimal strings (they are uint256 on chain); these helpers
 * accept all of those and say plainly what is wrong otherwise.
 */

export type Frame = Record<string, unknown>;

export class FrameError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses one text frame into an object with a string `type`. */
export function parseFrame(raw: string | Buffer): Frame {
  if (typeof raw !== "string") throw new FrameError("INVALID_MESSAGE", "binary frames are not supported; send JSON text");
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new FrameError("INVALID_JSON", "frame is not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FrameError("INVALID_MESSAGE", "frame must be a JSON object");
  }
  const frame = value as Frame;
  if (typeof frame.type !== "string" || frame.type === "") {
    throw new FrameError("INVALID_MESSAGE", "frame has no \"type\"");
  }
  return frame;
}

function pick(frame: Frame, snake: string, camel: string): unknown {
  return frame[snake] ?? frame[camel];
}

/** The session id, as a non-empty string (numbers are accepted and stringified). */
export function sessionIdOf(frame: Frame): string {
  const value = pick(frame, "session_id", "sessionId");
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return String(value);
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  throw new FrameError("INVALID_REQUEST", "session_id is required");
}

/** A session id if present, for tagging error frames. */
export function maybeSessionId(frame: Frame): string | undefined {
  try {
    return sessionIdOf(frame);
  } catch {
    return undefined;
  }
}

function asJobId(value: unknown, field: string): string {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === "bigint" && value >= 0n) return value.toString();
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return BigInt(value.trim()).toString();
  throw new FrameError("INVALID_REQUEST", `${field} must be a non-negative integer`);
}

/** The job id of a plaintext session_init: required. */
export function jobIdOf(frame: Frame): string {
  const value = pick(frame, "job_id", "jobId");
  if (value === undefined || value === null) throw new FrameError("INVALID_REQUEST", "job_id is required");
  return asJobId(value, "job_id");
}

/** An optional job id (encrypted inits carry it inside the ciphertext, which the stand-in cannot read). */
export function optionalJobId(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  return asJobId(value, field);
}

export function chainIdOf(frame: Frame): number | undefined {
  const value = pick(frame, "chain_id", "chainId");
  if (value === undefined || value === null) return undefined;
  const id = typeof value === "string" ? Number(value) : value;
  if (typeof id !== "number" || !Number.isInteger(id) || id <= 0) {
    throw new FrameError("INVALID_REQUEST", "chain_id must be a positive integer");
  }
  return id;
}

export function maxTokensOf(frame: Frame): number | undefined {
  const value = pick(frame, "max_tokens", "maxTokens");
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new FrameError("INVALID_REQUEST", "max_tokens must be a positive integer");
  }
  return value;
}

export function promptOf(frame: Frame): string {
  const value = frame.prompt ?? frame.content ?? frame.message;
  if (typeof value !== "string" || value === "") throw new FrameError("INVALID_REQUEST", "prompt is required");
  return value;
}

export function payloadOf(frame: Frame): Frame {
  const value = frame.payload;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FrameError("INVALID_REQUEST", "payload object is required");
  }
  return value as Frame;
}
