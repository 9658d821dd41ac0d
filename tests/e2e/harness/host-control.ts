import { prepareHost, type DaemonPidRecord, type PreparedHost } from "../../../scripts/demo/prepare-host.ts";
import { compiledBinary } from "../../helpers/binary.ts";
import { collectLogs } from "../../../scripts/demo/chain-facts.ts";
import { isAlive, waitUntil } from "./checks.ts";

/**
 * The devnet's dispute window for runs where the CLI must prove what a lost node left (a node or host killed mid-session):
 * the node may complete a job once the window after the last proof has passed, and the CLI steps in halfway through
 * it. 6 s leaves the CLI 3 s on a busy machine; the demo's 3 s leaves 1.5.
 */
const RACE_SAFE_DISPUTE_WINDOW_SECONDS = 6;

/**
 * A host from the compiled binary for a run that kills its processes: files kept until the test removes them, the
 * node's grace at 10 s, and the race-safe dispute window.
 */
export async function prepareHostForKills(signer: "cli" | "node", nodeEnv: Record<string, string>): Promise<PreparedHost> {
  return prepareHost({
    binary: await compiledBinary(),
    retainFiles: true,
    signer,
    graceSeconds: 10,
    nodeEnv,
    disputeWindow: RACE_SAFE_DISPUTE_WINDOW_SECONDS,
  });
}

export class HostProcesses {
  private readonly seen = new Set<number>();

  constructor(private readonly host: PreparedHost) {}

  /** Reads the PID file and remembers the daemon and node it names. */
  record(): DaemonPidRecord | undefined {
    const record = this.host.pidRecord();
    if (record) {
      this.seen.add(record.pid);
      if (record.node) this.seen.add(record.node.pid);
    }
    return record;
  }

  /** Every daemon and node pid seen so far that is still alive. */
  survivors(): number[] {
    return [...this.seen].filter(isAlive);
  }

  get all(): number[] {
    return [...this.seen];
  }

  async start(name = "start"): Promise<DaemonPidRecord> {
    await this.host.cli(["start", "--daemon", "--password-file", this.host.passwordFile], { name });
    return this.waitRunning("the daemon to report running");
  }

  /** Waits for a running daemon whose record passes `accept` (e.g. a new node pid after a crash). */
  waitRunning(what: string, accept: (record: DaemonPidRecord) => boolean = () => true, timeoutMs = 30_000): Promise<DaemonPidRecord> {
    return waitUntil(
      what,
      () => {
        const record = this.record();
        return record && record.state === "running" && record.node && accept(record) ? record : undefined;
      },
      timeoutMs,
    );
  }
}

/** Runs a scenario; on failure the host's last log lines are printed, because its files are gone afterwards. */
export async function withLogsOnFailure<T>(host: PreparedHost | undefined, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (host) console.error(`host logs:\n${collectLogs(host.home, 60)}`);
    throw error;
  }
}

/** Rejects after `ms` with a message naming what did not happen. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
