/** Readable log lines for `logs`: stable columns, no colour in pipes (the caller's Style decides). */
import type { Style, StyleName } from "../style.ts";
import type { LogEntry } from "../../ops/logging/log-entry.ts";

const LEVEL_STYLE: Record<string, StyleName> = { error: "red", warn: "yellow", info: "cyan", debug: "gray" };
const HIDDEN = new Set(["timestamp", "level", "component", "message", "pid"]);

export function renderEntry(entry: LogEntry, style: Style): string {
  const time = entry.timestamp || "-".padEnd(24);
  const level = style(LEVEL_STYLE[entry.level] ?? "cyan", entry.level.toUpperCase().padEnd(5));
  const fields = Object.entries(entry)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  const tail = fields.length > 0 ? "  " + style("gray", fields.join(" ")) : "";
  return `${style("dim", time)}  ${level}  ${entry.component.padEnd(10)}  ${entry.message}${tail}`;
}
