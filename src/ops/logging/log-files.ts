/**
 * How log files are named, shared by the writer (rotation, retention) and the reader (`logs`, `logs export`).
 *
 *   <component>.log                     the file being written (a stable name: `tail -f` and error messages point here)
 *   <component>-<YYYY-MM-DD>.<n>.log    a rotated segment waiting for compression (date = UTC day of its last line)
 *   <component>-<YYYY-MM-DD>.<n>.log.gz a rotated, compressed segment
 */
import { join } from "node:path";

export interface LogFileName {
  component: string;
  /** null for the active file. */
  date: string | null;
  /** Rotation index within the day; 0 for the active file. */
  index: number;
  gzip: boolean;
  active: boolean;
}

const ROTATED = /^([a-z][a-z0-9_-]*?)-(\d{4}-\d{2}-\d{2})\.(\d+)\.log(\.gz)?$/;
const ACTIVE = /^([a-z][a-z0-9_-]*)\.log$/;

export function parseLogFileName(name: string): LogFileName | undefined {
  const rotated = ROTATED.exec(name);
  if (rotated) {
    return { component: rotated[1]!, date: rotated[2]!, index: Number(rotated[3]), gzip: rotated[4] !== undefined, active: false };
  }
  const active = ACTIVE.exec(name);
  if (active) return { component: active[1]!, date: null, index: 0, gzip: false, active: true };
  return undefined;
}

export function activeLogPath(logsDir: string, component: string): string {
  return join(logsDir, `${component}.log`);
}

export function rotatedLogName(component: string, date: string, index: number): string {
  return `${component}-${date}.${index}.log`;
}

/** Oldest first: by date, then rotation index; the active file is always the newest. */
export function compareLogFiles(a: LogFileName, b: LogFileName): number {
  if (a.active !== b.active) return a.active ? 1 : -1;
  if (a.date !== b.date) return (a.date ?? "") < (b.date ?? "") ? -1 : 1;
  return a.index - b.index;
}

export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

export function isValidComponent(name: string): boolean {
  return /^[a-z][a-z0-9_-]*$/.test(name) && !/-\d{4}-\d{2}-\d{2}$/.test(name);
}
