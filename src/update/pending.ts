/**
 * Updates for a running host. Replacing the binary under a host that is serving sessions would leave it on the old
 * code until some restart nobody planned, so the verified binary is staged as `<binary>.next` and described in
 * `<run>/update-pending.json`; the host calls `applyPendingUpdate` when no session is active, then restarts itself.
 */
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Paths } from "../config/paths.ts";
import { readDaemonState } from "../daemon/pid-file.ts";
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
}

export function pendingUpdatePath(paths: Paths): string {
  return join(paths.runDir, "update-pending.json");
}

/** The host running for this config directory, if any (a stale PID file does not count). */
export function runningHost(paths: Paths): RunningHost | null {
  const state = readDaemonState(paths);
  if (state.status !== "running") return null;
  return { pid: state.record.pid, mode: state.record.mode, started: state.record.started };
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
    throw new HostError(ShipErrors.UPDATE_STAGED_INVALID, `The staged update ${pending.next} is ${actual ? "damaged (checksum changed)" : "missing"}; it was discarded.`);
  }
  installOver(binary, pending.next);
  rmSync(pendingUpdatePath(paths), { force: true });
  const receiptUpdated = pending.receiptPath
    ? refreshReceipt(pending.receiptPath, binary, { version: pending.version, commit: pending.commit, sha256: pending.sha256, asset: pending.asset }, (options.now ?? (() => new Date()))())
    : false;
  return { kind: pending.kind, version: pending.version, from: pending.from, binary, receiptUpdated };
}
