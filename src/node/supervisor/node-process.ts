/**
 * One run of the node: spawned in its own process group, its output split into lines (redacted, written to the
 * rotating log, kept in a tail), its readiness lines noticed, its exit captured, an orphan watchdog beside it.
 */
import type { ChildProcess } from "node:child_process";
import type { SpawnFn } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { SupervisorErrors } from "../../errors/codes/supervisor.ts";
import { redact } from "../../util/redact.ts";
import { LineSplitter, type OutputTail } from "./output-tail.ts";
import type { LineSink } from "./node-log.ts";
import { isGroupAlive, signalGroup, waitUntilGone } from "./process-group.ts";
import { startWatchdog, type Watchdog } from "./watchdog.ts";
import { TIMED_OUT, withTimeout } from "./timeout.ts";

export const MODEL_LOADED_LINE = "✅ Model loaded successfully";
export const RUNNING_LINE = "🎉 Fabstir LLM Node is running";
const API_STARTED = /✅ API server started on https?:\/\/[^\s:]+:(\d+)/;

export interface NodeExit {
  code: number | null;
  signal: string | null;
}

export interface NodeProcessOptions {
  spawn: SpawnFn;
  binaryPath: string;
  args: string[];
  env: Record<string, string>;
  log: LineSink;
  tail: OutputTail;
  /** Grace the orphan watchdog gives the node between SIGINT and SIGKILL. */
  watchdogGraceMs: number;
  watchdog: boolean;
  /** Run by the watchdog before it stops an orphaned node (see watchdog.ts). */
  watchdogBeforeStop?: string[];
  onLine?: (line: string) => void;
}

export class NodeProcess {
  readonly pid: number;
  /** Spawned detached: the node leads its own group. */
  readonly pgid: number;
  readonly exited: Promise<NodeExit>;
  exit: NodeExit | undefined;
  modelLoaded = false;
  running = false;
  /** The port from the node's "API server started" line (the configured one may be 0 = any). */
  announcedPort: number | undefined;
  private readonly watchdog: Watchdog;

  private constructor(child: ChildProcess, pid: number, options: NodeProcessOptions) {
    this.pid = pid;
    this.pgid = pid;
    const onLine = (line: string) => {
      const safe = redact(line);
      options.log.writeLine(safe);
      options.tail.add(safe);
      if (line.includes(MODEL_LOADED_LINE)) this.modelLoaded = true;
      if (line.includes(RUNNING_LINE)) this.running = true;
      const started = API_STARTED.exec(line);
      if (started) this.announcedPort = Number(started[1]);
      options.onLine?.(safe);
    };
    const stdout = new LineSplitter(onLine);
    const stderr = new LineSplitter(onLine);
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    const streamClosed = (stream: NodeJS.ReadableStream | null) => new Promise<void>((resolve) => (stream ? stream.once("close", () => resolve()) : resolve()));
    const pipesDone = Promise.all([streamClosed(child.stdout), streamClosed(child.stderr)]);
    this.exited = new Promise<NodeExit>((resolve) => {
      child.once("exit", (code, signal) => {
        // The last lines before a crash matter most: let the pipes drain (briefly) before reporting the exit.
        void withTimeout(pipesDone, 300).then(() => {
          stdout.flush();
          stderr.flush();
          this.exit = { code, signal };
          this.watchdog.disarm();
          resolve(this.exit);
        });
      });
    });
    this.watchdog = options.watchdog
      ? startWatchdog(options.spawn, this.pgid, { graceMs: options.watchdogGraceMs, beforeStop: options.watchdogBeforeStop })
      : { pid: undefined, disarm: () => {} };
  }

  get watchdogPid(): number | undefined {
    return this.watchdog.pid;
  }

  static async spawn(options: NodeProcessOptions): Promise<NodeProcess> {
    let child: ChildProcess;
    try {
      child = options.spawn(options.binaryPath, options.args, {
        env: options.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      throw spawnError(options.binaryPath, error);
    }
    if (child.pid === undefined) {
      const error = await new Promise<unknown>((resolve) => {
        child.once("error", resolve);
        setTimeout(() => resolve(new Error("no process id")), 2_000).unref();
      });
      throw spawnError(options.binaryPath, error);
    }
    child.on("error", () => {});
    return new NodeProcess(child, child.pid, options);
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /**
   * SIGINT to the group (the node's own shutdown signal), wait `graceMs`, then SIGKILL to every member still there.
   * Resolves once the node has exited and its group is empty.
   */
  async stop(graceMs: number): Promise<"not-running" | "graceful" | "killed"> {
    this.watchdog.disarm();
    if (!this.alive && !isGroupAlive(this.pgid)) return "not-running";
    signalGroup(this.pgid, "SIGINT");
    const graceful = (await withTimeout(this.exited, graceMs)) !== TIMED_OUT;
    if (graceful && (await waitUntilGone(() => isGroupAlive(this.pgid), 500))) return "graceful";
    signalGroup(this.pgid, "SIGKILL");
    await withTimeout(this.exited, 5_000);
    await waitUntilGone(() => isGroupAlive(this.pgid), 5_000);
    return "killed";
  }

  /** Immediate SIGKILL to the whole group (a hung node gets no grace beyond `stop`'s). */
  kill(): void {
    signalGroup(this.pgid, "SIGKILL");
  }
}

function spawnError(binaryPath: string, error: unknown): HostError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === "ENOENT"
      ? "it does not exist (or its interpreter is missing)"
      : code === "EACCES"
        ? "it is not executable"
        : String((error as Error)?.message ?? error);
  return new HostError(SupervisorErrors.NODE_SPAWN_FAILED, `Could not launch the node at ${binaryPath}: ${why}.`, {
    cause: error,
    details: { binaryPath, errno: code },
  });
}
