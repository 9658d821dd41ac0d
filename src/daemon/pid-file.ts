/**
 * `<run>/host.pid`: who runs the host for this config directory, and where its node is.
 *
 * One host per config directory, foreground or daemon: the record is created under a short exclusive lock
 * (`host.lock`, O_EXCL) so two starts cannot both see "free". A record whose process is gone, or whose pid now
 * belongs to another program (start time differs), is stale and is replaced. The record also names the node's pid
 * and process group, so a node orphaned by a daemon that was killed outright can be found and stopped later.
 */
import { mkdirSync, openSync, closeSync, writeSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Paths } from "../config/paths.ts";
import { HostError } from "../errors/host-error.ts";
import { SupervisorErrors } from "../errors/codes/supervisor.ts";
import { isGroupAlive, isProcessAlive, processStartToken } from "../node/supervisor/process-group.ts";

export interface DaemonRecord {
  pid: number;
  /** Start time of `pid` (kernel ticks / ps lstart): tells our process from a later one that reused the pid. */
  processStart: string | null;
  /** ISO time the host started. */
  started: string;
  version: string;
  mode: "daemon" | "foreground";
  home: string;
  state: "starting" | "running" | "unhealthy" | "stopping";
  unhealthyReason: string | null;
  node: { pid: number; pgid: number; processStart: string | null } | null;
  ports: { internal: number | null; api: number; p2p: number };
  logs: { host: string | null; node: string; daemon: string | null };
}

export type DaemonState =
  | { status: "not-running" }
  | { status: "running"; record: DaemonRecord }
  /** The file is there but its process is not (a crash, a SIGKILL, a reboot). `orphanNode`: its node still runs. */
  | { status: "stale"; record: DaemonRecord | null; reason: string; orphanNode: boolean };

export function pidFilePath(paths: Paths): string {
  return join(paths.runDir, "host.pid");
}

function lockPath(paths: Paths): string {
  return join(paths.runDir, "host.lock");
}

function readRecord(paths: Paths): DaemonRecord | null | "missing" {
  let text: string;
  try {
    text = readFileSync(pidFilePath(paths), "utf8");
  } catch {
    return "missing";
  }
  try {
    const record = JSON.parse(text) as DaemonRecord;
    return typeof record?.pid === "number" ? record : null;
  } catch {
    return null; // half-written or hand-edited: treated as stale
  }
}

/** Is this pid still the process that wrote the record? */
function isSameProcess(pid: number, processStart: string | null): boolean {
  if (!isProcessAlive(pid)) return false;
  if (!processStart) return true;
  const now = processStartToken(pid);
  return now === undefined || now === processStart;
}

export function isOrphanNodeAlive(record: DaemonRecord | null): boolean {
  const node = record?.node;
  if (!node) return false;
  if (isSameProcess(node.pid, node.processStart)) return true;
  // The leader is gone but something it started may still hold the group.
  return !isProcessAlive(node.pid) && isGroupAlive(node.pgid);
}

/** For `status`, `stop`, `restart`: is a host running for these paths? */
export function readDaemonState(paths: Paths): DaemonState {
  const record = readRecord(paths);
  if (record === "missing") return { status: "not-running" };
  if (record === null) return { status: "stale", record: null, reason: "the PID file is unreadable", orphanNode: false };
  if (isSameProcess(record.pid, record.processStart)) return { status: "running", record };
  const reason = isProcessAlive(record.pid) ? `pid ${record.pid} now belongs to another program` : `process ${record.pid} is not running`;
  return { status: "stale", record, reason, orphanNode: isOrphanNodeAlive(record) };
}

function writeAtomically(path: string, record: DaemonRecord): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(record, null, 2) + "\n", { mode: 0o600 });
  renameSync(temp, path);
}

const LOCK_STALE_MS = 30_000;

/** Runs `critical` holding `host.lock`; a lock left by a dead process or older than 30 s is broken. */
export async function withRunLock<T>(paths: Paths, critical: () => Promise<T> | T): Promise<T> {
  try {
    mkdirSync(paths.runDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new HostError(SupervisorErrors.DAEMON_LOCK_FAILED, `Cannot create the run directory ${paths.runDir}.`, { cause: error });
  }
  const path = lockPath(paths);
  const deadline = Date.now() + 10_000;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(path, "wx", 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, at: Date.now() }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new HostError(SupervisorErrors.DAEMON_LOCK_FAILED, `Cannot create ${path}.`, { cause: error });
      }
      if (lockIsStale(path)) rmSync(path, { force: true });
      else if (Date.now() > deadline) {
        throw new HostError(SupervisorErrors.DAEMON_LOCK_FAILED, `Another fabstir-host process holds ${path}.`, {
          hint: `Try: again in a moment; if no fabstir-host is running, remove ${path}`,
        });
      } else await Bun.sleep(50);
    }
  }
  try {
    return await critical();
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}

function lockIsStale(path: string): boolean {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as { pid?: number };
    if (holder.pid && !isProcessAlive(holder.pid)) return true;
    return Date.now() - statSync(path).mtimeMs > LOCK_STALE_MS;
  } catch {
    // Unreadable: just created by another process (give it a moment) or left half-written long ago.
    try {
      return Date.now() - statSync(path).mtimeMs > 2_000;
    } catch {
      return false;
    }
  }
}

export interface HostLock {
  readonly path: string;
  record(): DaemonRecord;
  /** Rewrites the record (node restarted, state changed); only ever by its owner. */
  update(change: Partial<DaemonRecord>): void;
  /** Removes the file if it is still ours. */
  release(): void;
}

/**
 * Claims the PID file for this process. Refuses when another live host holds it; a stale record is replaced
 * (`onStale` gets it first, to stop an orphaned node).
 */
export async function acquireHostLock(
  paths: Paths,
  initial: Omit<DaemonRecord, "pid" | "processStart">,
  onStale?: (state: Extract<DaemonState, { status: "stale" }>) => Promise<void>,
): Promise<HostLock> {
  const path = pidFilePath(paths);
  let current: DaemonRecord = { ...initial, pid: process.pid, processStart: processStartToken(process.pid) ?? null };
  await withRunLock(paths, async () => {
    const state = readDaemonState(paths);
    if (state.status === "running") {
      throw new HostError(
        SupervisorErrors.DAEMON_ALREADY_RUNNING,
        `A host is already running for ${paths.home} (pid ${state.record.pid}, started ${state.record.started}).`,
        {
          details: { pid: state.record.pid, mode: state.record.mode, started: state.record.started },
        },
      );
    }
    if (state.status === "stale") await onStale?.(state);
    writeAtomically(path, current);
  });
  return {
    path,
    record: () => current,
    update: (change) => {
      current = { ...current, ...change };
      try {
        writeAtomically(path, current);
      } catch {
        // The record is advisory once we hold it; a failed rewrite must not stop the host.
      }
    },
    release: () => {
      const onDisk = readRecord(paths);
      if (onDisk !== "missing" && onDisk !== null && onDisk.pid !== process.pid) return;
      rmSync(path, { force: true });
    },
  };
}
