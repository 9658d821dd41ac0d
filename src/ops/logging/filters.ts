/** Filters for `logs`: level at or above, components, session, job, and a time window. */
import type { LogLevel } from "./logger-types.ts";
import type { LogEntry } from "./log-entry.ts";
import { LOG_LEVELS } from "./component-logger.ts";
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";

export interface LogFilter {
  /** Show this level and more severe ones. */
  minLevel?: LogLevel;
  components?: string[];
  sessionId?: string;
  jobId?: string;
  /** Epoch milliseconds, inclusive. */
  since?: number;
  until?: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `15m`, `2h`, `1d` (ago), or an ISO time / date. */
export function parseTimeArg(text: string, now: number, flag: string): number {
  const value = text.trim();
  const relative = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i.exec(value);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]!.toLowerCase()]!;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new HostError(OpsErrors.LOGS_BAD_TIME, `${flag} "${text}" is neither an ISO time nor a relative time like 15m, 2h or 1d.`);
}

export function entryMatches(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.minLevel && LOG_LEVELS[entry.level] > LOG_LEVELS[filter.minLevel]) return false;
  if (filter.components && filter.components.length > 0 && !filter.components.includes(entry.component)) return false;
  if (filter.sessionId !== undefined && String(entry.sessionId ?? "") !== filter.sessionId) return false;
  if (filter.jobId !== undefined && String(entry.jobId ?? "") !== filter.jobId) return false;
  if (filter.since !== undefined || filter.until !== undefined) {
    const time = Date.parse(entry.timestamp);
    if (Number.isNaN(time)) return false;
    if (filter.since !== undefined && time < filter.since) return false;
    if (filter.until !== undefined && time > filter.until) return false;
  }
  return true;
}
