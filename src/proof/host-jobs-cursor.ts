/**
 * How far the walk of `hostSessions(host, i)` got, kept on disk so a restart reads only the jobs added since, plus the
 * ones it last saw active, instead of every job the host ever had (two calls per job: at ~260 jobs a start took 7 s).
 *
 * File: `<stateDir>/host-jobs/<chainId>-<marketplace>-<host>.json`, replaced atomically. `next` is the first index not
 * yet walked; the last REORG_MARGIN indices below it are read again on every walk, and the entry just below those (the
 * anchor) must still hold the same job id, else the list was rewritten (a reorganised chain, a reset devnet) and the
 * walk starts over from index 0.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { atomicWriteFileSync } from "../util/atomic-write.ts";

export const REORG_MARGIN = 8;

export interface HostJobsIdentity {
  chainId: number;
  jobMarketplace: string;
  host: string;
}

export interface KnownJob {
  index: number;
  jobId: string;
}

export interface HostJobsCursor extends HostJobsIdentity {
  version: 1;
  /** Indices below this were walked. */
  next: number;
  /** The job at `next - REORG_MARGIN - 1` when the cursor was written (null while the list is that short). */
  anchor: KnownJob | null;
  /** Jobs seen active at the last walk: read again at the next, wherever they are in the list. */
  active: KnownJob[];
}

export function cursorPath(stateDir: string, id: HostJobsIdentity): string {
  return join(stateDir, "host-jobs", `${id.chainId}-${id.jobMarketplace.toLowerCase()}-${id.host.toLowerCase()}.json`);
}

export function emptyCursor(id: HostJobsIdentity): HostJobsCursor {
  return { version: 1, ...id, next: 0, anchor: null, active: [] };
}

/** The saved cursor for this chain, marketplace and host; an empty one when there is none or it is unreadable. */
export function loadCursor(stateDir: string, id: HostJobsIdentity): HostJobsCursor {
  const path = cursorPath(stateDir, id);
  if (!existsSync(path)) return emptyCursor(id);
  try {
    const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<HostJobsCursor>;
    const same =
      raw.version === 1 &&
      raw.chainId === id.chainId &&
      raw.jobMarketplace?.toLowerCase() === id.jobMarketplace.toLowerCase() &&
      raw.host?.toLowerCase() === id.host.toLowerCase();
    if (!same || !Number.isInteger(raw.next) || raw.next! < 0 || !Array.isArray(raw.active)) return emptyCursor(id);
    return { ...emptyCursor(id), next: raw.next!, anchor: raw.anchor ?? null, active: raw.active };
  } catch {
    return emptyCursor(id); // a damaged file costs one full walk, never a missed job
  }
}

export function saveCursor(stateDir: string, cursor: HostJobsCursor): void {
  atomicWriteFileSync(cursorPath(stateDir, cursor), JSON.stringify(cursor) + "\n");
}

/** Where a walk starts re-reading the list, and which index must still hold the anchor's job. */
export function walkStart(cursor: HostJobsCursor): { from: number; anchorIndex: number | null } {
  const from = Math.max(0, cursor.next - REORG_MARGIN);
  return { from, anchorIndex: from > 0 && cursor.anchor?.index === from - 1 ? from - 1 : null };
}
