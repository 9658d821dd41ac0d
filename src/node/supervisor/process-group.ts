/**
 * Process and process-group primitives the supervisor and the daemon share.
 *
 * The node runs in its own process group (spawned detached, so its pid is its pgid): signalling `-pgid` reaches the
 * node and anything it started. Liveness ignores zombies: a killed process whose parent is gone may linger as a
 * zombie when nothing reaps it (some container inits don't), and a zombie holds nothing but its pid.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const isWindows = process.platform === "win32";
const hasProc = process.platform === "linux";

interface ProcStat {
  state: string;
  pgid: number;
  startTicks: string;
}

/** Fields of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so parse after the last ')'. */
function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "?", pgid: Number(fields[2]), startTicks: fields[19] ?? "" };
  } catch {
    return undefined;
  }
}

function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function isProcessAlive(pid: number | undefined | null): boolean {
  if (!pid || pid <= 0) return false;
  if (hasProc) {
    const stat = procStat(pid);
    return stat !== undefined && stat.state !== "Z" && stat.state !== "X";
  }
  return signalZero(pid);
}

/** Live members of a process group (Linux: from /proc; elsewhere: the leader's pid when the group answers). */
export function groupMembers(pgid: number): number[] {
  if (!pgid || pgid <= 0) return [];
  if (!hasProc) return !isWindows && signalZero(-pgid) ? [pgid] : isProcessAlive(pgid) ? [pgid] : [];
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.pgid === pgid && stat.state !== "Z" && stat.state !== "X") members.push(Number(entry));
  }
  return members;
}

export function isGroupAlive(pgid: number | undefined | null): boolean {
  return !!pgid && groupMembers(pgid).length > 0;
}

/**
 * A token that changes when a pid is reused: the kernel start time on Linux, `ps` start time elsewhere.
 * Undefined when the process is gone or the platform cannot tell.
 */
export function processStartToken(pid: number): string | undefined {
  if (hasProc) return procStat(pid)?.startTicks || undefined;
  if (isWindows) return undefined;
  const result = spawnSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8" });
  const text = result.status === 0 ? result.stdout.trim() : "";
  return text || undefined;
}

/** Sends a signal to a whole group; false when nothing was there to receive it. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (isWindows) {
    // No process groups: kill the tree. taskkill has no gentle equivalent of SIGINT for console-less children.
    const result = spawnSync("taskkill", ["/T", "/F", "/PID", String(pgid)], { stdio: "ignore" });
    return result.status === 0;
  }
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    try {
      // The group may be gone while its leader lingers (or the platform refuses group signals).
      process.kill(pgid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `check()` is false or the time is up; returns whether it ended. */
export async function waitUntilGone(check: () => boolean, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (check()) {
    if (Date.now() >= deadline) return false;
    await Bun.sleep(pollMs);
  }
  return true;
}

/**
 * Stops a group the polite way, then the hard way: SIGINT (the node's shutdown signal), wait, SIGKILL to every member.
 * Returns how it ended.
 */
export async function terminateGroup(pgid: number, graceMs: number): Promise<"not-running" | "graceful" | "killed"> {
  if (!isGroupAlive(pgid)) return "not-running";
  signalGroup(pgid, "SIGINT");
  if (await waitUntilGone(() => isGroupAlive(pgid), graceMs)) return "graceful";
  signalGroup(pgid, "SIGKILL");
  await waitUntilGone(() => isGroupAlive(pgid), 5_000);
  return "killed";
}
