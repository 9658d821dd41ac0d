/** One line of a log file, as the `logs` command sees it. Lines that are not our JSON still show, as plain text. */
import type { LogLevel } from "./logger-types.ts";
import type { LogRecord } from "./line-format.ts";

export type LogEntry = LogRecord;

const LEVEL_ALIASES: Record<string, LogLevel> = {
  error: "error",
  fatal: "error",
  crit: "error",
  critical: "error",
  emerg: "error",
  alert: "error",
  warn: "warn",
  warning: "warn",
  info: "info",
  notice: "info",
  http: "info",
  debug: "debug",
  verbose: "debug",
  trace: "debug",
  silly: "debug",
};

export function normalizeLevel(value: unknown): LogLevel {
  return (typeof value === "string" && LEVEL_ALIASES[value.toLowerCase()]) || "info";
}

export function parseLogLine(line: string, fallbackComponent: string): LogEntry | undefined {
  const trimmed = line.trim();
  if (trimmed === "") return undefined;
  if (trimmed.startsWith("{")) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        return {
          ...parsed,
          timestamp: typeof parsed.timestamp === "string" ? parsed.timestamp : "",
          level: normalizeLevel(parsed.level),
          component: typeof parsed.component === "string" ? parsed.component : fallbackComponent,
          message: typeof parsed.message === "string" ? parsed.message : JSON.stringify(parsed.message ?? ""),
        };
      }
    } catch {
      // Not JSON after all: fall through and keep it as text.
    }
  }
  return { timestamp: "", level: "info", component: fallbackComponent, message: trimmed };
}

/** Oldest first; lines without a time keep their place relative to each other (Array.sort is stable). */
export function sortEntries(entries: LogEntry[]): LogEntry[] {
  return entries.sort((a, b) => (a.timestamp === b.timestamp ? 0 : a.timestamp < b.timestamp ? -1 : 1));
}
