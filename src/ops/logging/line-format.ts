/**
 * What a log line looks like. On disk: one JSON object per line, always starting with
 * `timestamp, level, component, message`, then the correlation ids (`sessionId`, `jobId`, `txHash`) when present,
 * then anything else. On a terminal (foreground host): a short readable line.
 * Every line leaves through the redactor, whatever its fields hold.
 */
import type { LogLevel } from "./logger-types.ts";
import { redact, redactValue } from "../../util/redact.ts";

export interface LogRecord {
  timestamp: string;
  level: LogLevel;
  component: string;
  message: string;
  sessionId?: string;
  jobId?: string;
  txHash?: string;
  [field: string]: unknown;
}

const HEAD = ["timestamp", "level", "component", "message", "sessionId", "jobId", "txHash"] as const;

/** Builds the record for one line: fixed fields first, meta after; meta cannot override the fixed fields. */
export function buildRecord(level: LogLevel, component: string, message: string, meta: Record<string, unknown>, now: number): LogRecord {
  const safeMeta = redactValue(toPlain(meta) as Record<string, unknown>);
  const record: LogRecord = { timestamp: new Date(now).toISOString(), level, component, message: redact(message) };
  for (const key of ["sessionId", "jobId", "txHash"] as const) {
    const value = safeMeta[key];
    if (value !== undefined && value !== null) record[key] = String(value);
  }
  for (const [key, value] of Object.entries(safeMeta)) {
    if (!(HEAD as readonly string[]).includes(key) && value !== undefined) record[key] = value;
  }
  return record;
}

export function formatJsonLine(record: LogRecord): string {
  return redact(JSON.stringify(record)) + "\n";
}

/** Errors, bigints and cycles made JSON-safe, so no meta value can make a line fail to serialize. */
export function toPlain(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    if (value.stack) out.stack = value.stack;
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined && depth < 4) out.cause = toPlain(value.cause, seen, depth + 1);
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (value && typeof value === "object") {
    if (seen.has(value) || depth > 8) return "[circular or too deep]";
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => toPlain(item, seen, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toPlain(item, seen, depth + 1);
    return out;
  }
  return value;
}

const LEVEL_COLOR: Record<LogLevel, number> = { error: 31, warn: 33, info: 36, debug: 90 };

/** `12:00:01.123 INFO  proofs  proof submitted  jobId=42 txHash=0xab…` */
export function formatConsoleLine(record: LogRecord, color: boolean): string {
  const time = record.timestamp.slice(11, 23);
  const level = record.level.toUpperCase().padEnd(5);
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const fields = Object.entries(record)
    .filter(([key]) => !["timestamp", "level", "component", "message", "pid"].includes(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  const tail = fields.length > 0 ? "  " + paint(90, fields.join(" ")) : "";
  return redact(`${paint(90, time)} ${paint(LEVEL_COLOR[record.level], level)} ${record.component.padEnd(10)} ${record.message}${tail}`) + "\n";
}
