/**
 * How the real node writes JSON, so every byte the stand-in sends has the same shape.
 *
 * Frames and most bodies are built with serde_json's `json!` (or `to_value`) into a `Value`, whose object is a
 * BTreeMap when the `preserve_order` feature is off (fabstir-llm-node@85a87b8 Cargo.toml: serde_json without it):
 * keys come out in byte order at every depth, so `"type"` is usually last. Bodies serialized straight from a Rust
 * struct (`/health`, `/v1/models` errors) keep the struct's field order instead: `structJson` leaves order alone.
 */

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Compares like Rust's `String` Ord (bytes): for the ASCII keys the node uses, plain code-unit order. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort(byteOrder)) {
      const field = (value as Record<string, unknown>)[key];
      // serde_json has no `undefined`: a field the node leaves out is simply absent.
      if (field !== undefined) out[key] = sortKeys(field);
    }
    return out;
  }
  return value as JsonValue;
}

/** Compact JSON with keys sorted at every depth, as `serde_json::Value::to_string()` writes it. */
export function nodeJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** An HTTP answer whose body the node builds with `json!` / `to_value` (sorted keys). */
export function nodeResponse(body: unknown, status = 200): Response {
  return new Response(nodeJson(body), { status, headers: { "content-type": "application/json" } });
}

/** An HTTP answer serialized from a Rust struct: fields in declaration order, as given. */
export function structResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
