/**
 * Reading client frames the way the real node does (fabstir-llm-node@85a87b8 src/api/server.rs:2085-2215, 3646-3720):
 * a text frame that is not a JSON value is dropped without an answer; ids are read with serde_json's `as_str` /
 * `as_u64`, so a session id must be a string and a chain id a number, while a job id may be a number or a decimal
 * string, as `job_id` or `jobId`.
 */

export type Frame = Record<string, unknown>;

/** The frame as an object, or undefined for what the node ignores (bad JSON, binary, non-objects). */
export function parseFrame(raw: string | Buffer): Frame | undefined {
  if (typeof raw !== "string") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return value as Frame;
}

const U64_MAX = 18446744073709551615n;

/** serde_json's `as_u64`: a non-negative integer number. */
export function asU64(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** `as_str().parse::<u64>()`: digits (Rust allows a leading "+"), within u64. */
function parseU64(value: unknown): string | undefined {
  if (typeof value !== "string" || !/^\+?\d+$/.test(value)) return undefined;
  const n = BigInt(value.replace(/^\+/, ""));
  return n <= U64_MAX ? n.toString() : undefined;
}

/** `session_id` or `sessionId`, strings only. */
export function sessionIdOf(frame: Frame): string | undefined {
  const value = typeof frame.session_id === "string" ? frame.session_id : frame.sessionId;
  return typeof value === "string" ? value : undefined;
}

/** `job_id` or `jobId`, as a number or a decimal string (server.rs:2122-2134). */
export function jobIdOf(frame: Frame): string | undefined {
  return asU64(frame.job_id) ?? parseU64(frame.job_id) ?? asU64(frame.jobId) ?? parseU64(frame.jobId);
}

/** `chain_id` or `chainId`, numbers only (server.rs:2137-2139). */
export function chainIdOf(frame: Frame): number | undefined {
  const id = asU64(frame.chain_id) ?? asU64(frame.chainId);
  return id === undefined ? undefined : Number(id);
}

export function isObject(value: unknown): value is Frame {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The JSON number the node writes for a u64 job id (null when there is none). */
export function jobIdJson(jobId: string | null | undefined): number | null {
  return jobId === null || jobId === undefined ? null : Number(jobId);
}
