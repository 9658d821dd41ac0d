/**
 * Updates for a running host. Replacing the binary under a host that is serving sessions would leave it on the old
 * code until some restart nobody planned, so the verified binary is staged as `<binary>.next` and described in
 * `<run>/update-pending.json`; the host calls `applyPendingUpdate` when no session is active, then restarts itself.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathsFor, type Paths } from "../config/paths.ts";
import { pidFilePath, readDaemonState } from "../daemon/pid-file.ts";
import { SYSTEM_HOME } from "../daemon/service/service-options.ts";
import { atomicWriteFileSync } from "../util/atomic-write.ts";
import { HostError } from "../errors/host-error.ts";
import { ShipErrors } from "../errors/codes/ship.ts";
import { nodeChannelFs } from "./channel.ts";
import { sha256OfFile } from "./download.ts";
import { installOver, nextPath } from "./swap.ts";
import { refreshReceipt } from "./receipt.ts";

export interface PendingUpdate {
  kind: "update" | "rollback";
  /** Version the staged binary reports. */
  version: string;
  commit: string | null;
  /** Version it replaces. */
  from: string | null;
  binary: string;
  next: string;
  sha256: string;
  asset: string | null;
  /** The install receipt to rewrite once the swap is done. */
  receiptPath: string | null;
  stagedAt: string;
}

export interface RunningHost {
  pid: number;
  mode: "daemon" | "foreground";
  started: string;
  /** Its config directory: the pending update goes into its run directory. */
  home: string;
  /** Owner of its PID file, i.e. the user it runs as (null where unknown). */
  uid: number | null;
}

export function pendingUpdatePath(paths: Paths): string {
  return join(paths.runDir, "update-pending.json");
}

/**
 * The host running from these config directories, if any (a stale PID file does not count). Besides `paths`, the
 * system service's directory is looked at: `sudo fabstir-host self-update` runs with root's home, not the service's.
 */
export function runningHost(paths: Paths, options: { extraHomes?: string[] } = {}): RunningHost | null {
  const homes = [paths.home, ...(options.extraHomes ?? (process.platform === "win32" ? [] : [SYSTEM_HOME]))];
  for (const home of [...new Set(homes)]) {
    const candidate = home === paths.home ? paths : pathsFor(home);
    const state = readDaemonState(candidate);
    if (state.status !== "running") continue;
    let uid: number | null = null;
    try {
      uid = statSync(pidFilePath(candidate)).uid;
    } catch {}
    return { pid: state.record.pid, mode: state.record.mode, started: state.record.started, home: candidate.home, uid };
  }
  return null;
}

/**
 * Can the host swap the staged binary in itself? Not when it runs as a user that cannot write the binary's
 * directory (a system service user, a binary installed by root): staging would then wait forever.
 */
export function hostCanReplace(host: RunningHost, binary: string): boolean {
  if (process.platform === "win32" || host.uid === null || host.uid === 0 || host.uid === process.getuid?.()) return true;
  try {
    const dir = statSync(dirname(binary));
    if (dir.uid === host.uid) return (dir.mode & 0o200) !== 0;
    return (dir.mode & 0o002) !== 0; // group membership of another user is unknown here: assume not
  } catch {
    return false;
  }
}

export function readPendingUpdate(paths: Paths): PendingUpdate | null {
  try {
    const raw = JSON.parse(readFileSync(pendingUpdatePath(paths), "utf8")) as PendingUpdate;
    return typeof raw?.version === "string" && typeof raw.binary === "string" && typeof raw.next === "string" ? raw : null;
  } catch {
    return null;
  }
}

export function clearPendingUpdate(paths: Paths): void {
  const pending = readPendingUpdate(paths);
  if (pending) rmSync(pending.next, { force: true });
  rmSync(pendingUpdatePath(paths), { force: true });
}

/** Moves the verified file to `<binary>.next` and records it for the host. */
export function stageUpdate(paths: Paths, verifiedFile: string, info: Omit<PendingUpdate, "next" | "stagedAt">, now = new Date()): PendingUpdate {
  const next = nextPath(info.binary);
  rmSync(next, { force: true });
  renameSync(verifiedFile, next);
  const pending: PendingUpdate = { ...info, next, stagedAt: now.toISOString() };
  atomicWriteFileSync(pendingUpdatePath(paths), JSON.stringify(pending, null, 2) + "\n", { mode: 0o600 });
  return pending;
}

export interface AppliedUpdate {
  kind: PendingUpdate["kind"];
  version: string;
  from: string | null;
  binary: string;
  /** False when the binary moved but the install receipt could not be rewritten (the update still stands). */
  receiptUpdated: boolean;
}

/**
 * For the host, when it is idle: swaps the staged binary in (keeping the current one as `.previous`) and forgets the
 * pending record. Returns null when nothing is staged for `execPath`; throws UPDATE_STAGED_INVALID (and discards the
 * staged file) when it is missing or no longer matches its checksum. The caller restarts itself afterwards.
 */
export async function applyPendingUpdate(paths: Paths, execPath: string, options: { now?: () => Date } = {}): Promise<AppliedUpdate | null> {
  const pending = readPendingUpdate(paths);
  if (!pending) return null;
  const binary = nodeChannelFs.realpath(execPath);
  if (nodeChannelFs.realpath(pending.binary) !== binary) return null; // staged for another installation
  const actual = existsSync(pending.next) ? await sha256OfFile(pending.next) : null;
  if (actual !== pending.sha256) {
    clearPendingUpdate(paths);
    throw new HostError(
      ShipErrors.UPDATE_STAGED_INVALID,
      `The staged update ${pending.next} is ${actual ? "damaged (checksum changed)" : "missing"}; it was discarded.`,
    );
  }
  installOver(binary, pending.next);
  rmSync(pendingUpdatePath(paths), { force: true });
  const receiptUpdated = pending.receiptPath
    ? refreshReceipt(
        pending.receiptPath,
        binary,
        { version: pending.version, commit: pending.commit, sha256: pending.sha256, asset: pending.asset },
        (options.now ?? (() => new Date()))(),
      )
    : false;
  return { kind: pending.kind, version: pending.version, from: pending.from, binary, receiptUpdated };
}
