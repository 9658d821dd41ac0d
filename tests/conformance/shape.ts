/**
 * Compares what the stand-in wrote with a fixture by shape: the same keys in the same order at every depth, the same
 * JSON types, and the same value for the fields that never vary (type, status, code, reason, messages …).
 */
const FIXED = new Set([
  "type",
  "status",
  "code",
  "reason",
  "finish_reason",
  "error",
  "error_type",
  "request_id",
  "details",
  "message",
  "issues",
  "final",
  "encrypted",
]);

export function shapeOf(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return FIXED.has(key) ? value : value.map((item) => shapeOf(item));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).map(([k, v]) => [k, shapeOf(v, k)]);
  }
  if (FIXED.has(key)) return value;
  return value === null ? "null" : typeof value;
}

/** Shape of a raw JSON text, keeping the order its keys were written in. */
export function shapeOfText(text: string): unknown {
  return shapeOf(JSON.parse(text));
}
