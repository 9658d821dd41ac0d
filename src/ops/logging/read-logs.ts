/**
 * Reads what the loggers wrote: the active files and their rotated segments, compressed or not, for every component
 * (or the ones asked for), merged in time order.
 */
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compareLogFiles, parseLogFileName, utcDay, type LogFileName } from "./log-files.ts";
import { entryMatches, type LogFilter } from "./filters.ts";
import { parseLogLine, sortEntries, type LogEntry } from "./log-entry.ts";
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";

export interface LogSource {
  path: string;
  file: string;
  name: LogFileName;
}

/** Log files per component, oldest first. Symbolic links and the rotators' own bookkeeping files are skipped. */
export function listLogSources(logsDir: string, components?: string[]): Map<string, LogSource[]> {
  let files: string[];
  try {
    files = readdirSync(logsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new HostError(OpsErrors.LOGS_UNREADABLE, `Cannot read the logs directory ${logsDir}: ${(error as Error).message}`, { cause: error });
  }
  const byComponent = new Map<string, LogSource[]>();
  const seen = new Set<string>();
  for (const file of files) {
    const name = parseLogFileName(file);
    if (!name || (components && components.length > 0 && !components.includes(name.component))) continue;
    const path = join(logsDir, file);
    try {
      if (!lstatSync(path).isFile()) continue;
    } catch {
      continue;
    }
    // A segment caught mid-compression exists twice: read the plain one only.
    const key = `${name.component}/${name.date}/${name.index}`;
    if (!name.active && seen.has(key)) {
      if (name.gzip) continue;
      const list = byComponent.get(name.component)!;
      const at = list.findIndex((source) => `${source.name.component}/${source.name.date}/${source.name.index}` === key);
      if (at >= 0) list.splice(at, 1);
    }
    seen.add(key);
    const list = byComponent.get(name.component) ?? [];
    list.push({ path, file, name });
    byComponent.set(name.component, list);
  }
  for (const list of byComponent.values()) list.sort((a, b) => compareLogFiles(a.name, b.name));
  return byComponent;
}

/** A source's text; a segment deleted by retention while we read reads as empty. */
export function readSourceText(source: LogSource): string {
  try {
    const raw = readFileSync(source.path);
    return (source.name.gzip ? gunzipSync(raw) : raw).toString("utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "";
    if (code === "EACCES" || code === "EPERM") {
      throw new HostError(OpsErrors.LOGS_UNREADABLE, `Cannot read ${source.path}: permission denied.`, { cause: error });
    }
    return ""; // a truncated .gz (a crash mid-write) must not hide every other file
  }
}

export function entriesOf(source: LogSource, filter: LogFilter): LogEntry[] {
  const out: LogEntry[] = [];
  for (const line of readSourceText(source).split("\n")) {
    const entry = parseLogLine(line, source.name.component);
    if (entry && entryMatches(entry, filter)) out.push(entry);
  }
  return out;
}

/** The last `limit` entries matching the filter (all of them when limit is undefined), oldest first. */
export function tailLogs(logsDir: string, filter: LogFilter, limit?: number): LogEntry[] {
  if (limit !== undefined && limit <= 0) return [];
  const sinceDay = filter.since !== undefined ? utcDay(filter.since) : undefined;
  const collected: LogEntry[] = [];
  for (const sources of listLogSources(logsDir, filter.components).values()) {
    let fromComponent: LogEntry[] = [];
    for (let i = sources.length - 1; i >= 0; i--) {
      const source = sources[i]!;
      // A rotated segment is named after the day of its last line: older days cannot hold lines after --since.
      if (sinceDay && source.name.date && source.name.date < sinceDay) break;
      fromComponent = entriesOf(source, filter).concat(fromComponent);
      if (limit !== undefined && fromComponent.length >= limit) break;
    }
    collected.push(...(limit !== undefined ? fromComponent.slice(-limit) : fromComponent));
  }
  const sorted = sortEntries(collected);
  return limit !== undefined ? sorted.slice(Math.max(0, sorted.length - limit)) : sorted;
}
