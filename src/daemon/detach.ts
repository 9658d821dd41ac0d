/**
 * `start --daemon`: the CLI re-runs itself as a detached child (`start --daemon-child`): a new session with no
 * terminal, stdout/stderr to `<logs>/daemon.log`. Two pipes join them while it starts:
 *   stdin → child: one JSON line, then EOF. It carries the host key when the node signs (unlocked here, where a
 *          password prompt can reach the user); never argv, never a file.
 *   fd 3 → parent: one JSON line, "ready" (with pids and ports) or "error" (code, message, hint), so the parent can
 *          report the outcome, and its exit code says whether the host is running.
 */
import { APPEND_NOFOLLOW } from "../config/disk-errors.ts";
import { selfCommand } from "../util/self-command.ts";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { ChildProcess } from "node:child_process";
import type { HostContext } from "../context.ts";
import { HostError, isHostError } from "../errors/host-error.ts";
import { SupervisorErrors } from "../errors/codes/supervisor.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { registerSecret } from "../util/redact.ts";
import { LineSplitter, formatTail } from "../node/supervisor/output-tail.ts";
import type { HostReadyInfo } from "./host-loop.ts";
import { withTimeout } from "../node/supervisor/timeout.ts";

export const DAEMON_CHILD_FLAG = "--daemon-child";
const STATUS_FD = 3;

export interface DaemonHandoff {
  hostKey?: string;
}

export type DaemonStatusMessage =
  | { type: "ready"; info: HostReadyInfo }
  | { type: "error"; error: { code: string; message: string; hint: string | null; exitCode: number; details?: Record<string, unknown> } };

export interface DaemonLaunch {
  pid: number;
  info: HostReadyInfo;
  daemonLog: string;
}

/** How to run this program again: the compiled binary is itself; from source it is `bun <src>/main.ts`. */

export function daemonLogPath(context: Pick<HostContext, "paths">): string {
  return join(context.paths.logsDir, "daemon.log");
}

export async function launchDaemon(
  context: HostContext,
  options: { handoff: DaemonHandoff; extraArgs?: string[]; readyTimeoutMs: number },
): Promise<DaemonLaunch> {
  const [command, ...prefix] = selfCommand();
  const args = [...prefix, "start", DAEMON_CHILD_FLAG, "--config-dir", context.paths.home, ...(options.extraArgs ?? [])];
  const logPath = daemonLogPath(context);
  mkdirSync(context.paths.logsDir, { recursive: true, mode: 0o700 });
  // Never through a planted symlink (logs/ is written by the same user who could plant one).
  const logFd = openSync(logPath, APPEND_NOFOLLOW, 0o600);
  writeSync(logFd, `--- fabstir-host: daemon starting at ${new Date(context.clock.now()).toISOString()} ---\n`);
  let child: ChildProcess;
  try {
    child = context.spawn(command!, args, {
      detached: true,
      cwd: context.paths.home,
      env: context.env as NodeJS.ProcessEnv,
      stdio: ["pipe", logFd, logFd, "pipe"],
    });
  } finally {
    closeSync(logFd);
  }
  child.on("error", () => {});
  child.stdin?.on("error", () => {});
  child.stdin?.end(JSON.stringify(options.handoff) + "\n");

  const message = await new Promise<DaemonStatusMessage | { type: "exit"; code: number | null; signal: string | null } | { type: "timeout" }>((done) => {
    const status = child.stdio[STATUS_FD] as Readable | null;
    const splitter = new LineSplitter((line) => {
      try {
        done(JSON.parse(line) as DaemonStatusMessage);
      } catch {
        // not ours; ignore
      }
    });
    status?.on("data", (chunk: Buffer) => splitter.push(chunk));
    status?.on("error", () => {});
    child.once("exit", (code, signal) => setTimeout(() => done({ type: "exit", code, signal }), 100));
    setTimeout(() => done({ type: "timeout" }), options.readyTimeoutMs).unref();
  });
  (child.stdio[STATUS_FD] as Readable | null)?.destroy();

  if (message.type === "ready") {
    child.unref();
    return { pid: child.pid!, info: message.info, daemonLog: logPath };
  }
  if (message.type === "error") {
    const { code, message: text, hint, exitCode, details } = message.error;
    throw new HostError({ code, title: "", kind: exitCode === 2 ? "usage" : "operational", cause: "", fix: "" }, text, { hint: hint ?? undefined, details });
  }
  if (message.type === "timeout") {
    // Give up on it: a half-started daemon nobody knows about is worse than none.
    child.kill("SIGTERM");
    child.unref();
  }
  const how =
    message.type === "timeout"
      ? `did not report ready within ${Math.round(options.readyTimeoutMs / 1000)} s and was stopped`
      : `exited (${message.signal ?? `code ${message.code}`}) before it was ready`;
  throw new HostError(SupervisorErrors.DAEMON_START_FAILED, `The background host ${how}. Last lines of ${logPath}:\n${formatTail(tailOf(logPath, 20))}`, {
    details: { daemonLog: logPath },
  });
}

function tailOf(path: string, count: number): string[] {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(-count);
  } catch {
    return [];
  }
}

/** In the daemon child: the handoff line from the parent (stdin until EOF). */
export async function readHandoff(stdin: Readable, timeoutMs = 10_000): Promise<DaemonHandoff> {
  const chunks: Buffer[] = [];
  const reading = (async () => {
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  })();
  await withTimeout(reading, timeoutMs);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  const handoff = JSON.parse(text) as DaemonHandoff;
  if (handoff.hostKey) registerSecret(handoff.hostKey);
  return handoff;
}

/** In the daemon child: tells the parent how the start went. Silent when there is no parent listening. */
export function sendDaemonStatus(message: DaemonStatusMessage): void {
  try {
    writeSync(STATUS_FD, JSON.stringify(message) + "\n");
    closeSync(STATUS_FD);
  } catch {
    // started by hand, or the parent is gone: nobody to tell
  }
}

export function statusFromError(error: unknown): DaemonStatusMessage {
  if (isHostError(error)) {
    return { type: "error", error: { code: error.code, message: error.message, hint: error.hint ?? null, exitCode: error.exitCode, details: error.details } };
  }
  return {
    type: "error",
    error: { code: CoreErrors.INTERNAL.code, message: `Unexpected error: ${(error as Error)?.message ?? String(error)}`, hint: null, exitCode: 1 },
  };
}
