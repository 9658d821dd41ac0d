/**
 * Orphan guard. The node runs in its own process group, so when the supervising process dies without cleaning up
 * (SIGKILL, OOM killer, a crash in the runtime) nothing would stop the node: it would keep the GPU and the port.
 * Bun cannot set PR_SET_PDEATHSIG, so a tiny `sh` process watches a pipe instead: we hold the write end, and the kernel
 * closes it when we die, whatever the cause. On EOF the watchdog sends SIGINT to the node's group, waits, then
 * SIGKILL. A normal stop "disarms" it first by writing a line. It costs one idle shell (~1 MB), and it lives in its own
 * group, so neither a Ctrl-C at the terminal nor a signal to the node's group reaches it.
 *
 * Before it stops the node, the watchdog can run one command (the host's salvage, see src/proof/salvage.ts): the
 * node still knows each session's job id, which the dead host may not have journaled, and once the node is stopped
 * that knowledge is gone. Counts are not taken from it: the count files already hold what clients received, and the
 * node's count may be higher. The command gets a few seconds, then the node is stopped whatever it did.
 *
 * On Windows there is no `sh` and no process group: the daemon's PID file (node pid recorded) is the fallback there,
 * and the next `start`/`stop` reaps a leftover node.
 */
import type { ChildProcess } from "node:child_process";
import type { SpawnFn } from "../../context.ts";

const SCRIPT = [
  'pg="$1"; grace="$2"; salvage="$3"; shift 3',
  "read -r line",
  '[ "$line" = "disarm" ] && exit 0',
  'kill -s 0 -- "-$pg" 2>/dev/null || exit 0',
  'if [ "$#" -gt 0 ]; then',
  '  FABSTIR_SALVAGE_CHILD=1 "$@" </dev/null >/dev/null 2>&1 &',
  "  sp=$!; i=0",
  '  while kill -s 0 "$sp" 2>/dev/null && [ "$i" -lt "$salvage" ]; do i=$((i+1)); sleep 0.1; done',
  '  kill -s KILL "$sp" 2>/dev/null',
  "fi",
  'kill -s INT -- "-$pg" 2>/dev/null || exit 0',
  "i=0",
  'while kill -s 0 -- "-$pg" 2>/dev/null && [ "$i" -lt "$grace" ]; do i=$((i+1)); sleep 0.1; done',
  'kill -s KILL -- "-$pg" 2>/dev/null',
  "exit 0",
].join("\n");

export interface Watchdog {
  readonly pid: number | undefined;
  /** The node stopped on purpose (or already exited): let the watchdog exit without touching anything. */
  disarm(): void;
}

export function watchdogSupported(): boolean {
  return process.platform !== "win32";
}

export interface WatchdogOptions {
  /** Grace between SIGINT and SIGKILL. */
  graceMs: number;
  /** argv run (with FABSTIR_SALVAGE_CHILD=1) before the orphaned node is stopped; no secret may be in it. */
  beforeStop?: string[];
  /** How long the command may take. */
  beforeStopTimeoutMs?: number;
}

export function startWatchdog(spawn: SpawnFn, pgid: number, options: WatchdogOptions): Watchdog {
  if (!watchdogSupported()) return { pid: undefined, disarm: () => {} };
  const ticks = Math.max(1, Math.ceil(options.graceMs / 100));
  const salvageTicks = Math.max(1, Math.ceil((options.beforeStopTimeoutMs ?? 3_000) / 100));
  let child: ChildProcess;
  try {
    child = spawn("sh", ["-c", SCRIPT, "fabstir-node-watchdog", String(pgid), String(ticks), String(salvageTicks), ...(options.beforeStop ?? [])], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
    });
  } catch {
    return { pid: undefined, disarm: () => {} };
  }
  // The watchdog must never keep our event loop alive, nor crash us when its pipe breaks.
  child.on("error", () => {});
  child.stdin?.on("error", () => {});
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let disarmed = false;
  return {
    pid: child.pid,
    disarm: () => {
      if (disarmed) return;
      disarmed = true;
      try {
        child.stdin?.end("disarm\n");
      } catch {
        // it is gone already
      }
    },
  };
}
