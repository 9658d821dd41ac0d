/**
 * Runs the probing tools (nvidia-smi, rocm-smi, sysctl …) through the context's spawn, with a timeout. A missing
 * binary is an ordinary answer ("missing"), not an error: most hosts lack most of these tools.
 */
import type { SpawnFn } from "../../context.ts";

export interface CommandResult {
  status: "ok" | "missing" | "failed" | "timeout";
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (command: string, args: string[], options?: { timeoutMs?: number }) => Promise<CommandResult>;

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

export function spawnRunner(spawn: SpawnFn, defaultTimeoutMs = DEFAULT_PROBE_TIMEOUT_MS): CommandRunner {
  return (command, args, options = {}) =>
    new Promise<CommandResult>((resolve) => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let settled = false;
      const finish = (status: CommandResult["status"], exitCode: number | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, exitCode, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
      };
      let child: ReturnType<SpawnFn>;
      try {
        child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
      } catch (error) {
        // Some runtimes throw synchronously for a missing executable instead of emitting "error".
        const code = (error as NodeJS.ErrnoException).code;
        resolve({ status: code === "ENOENT" ? "missing" : "failed", exitCode: null, stdout: "", stderr: String(error) });
        return;
      }
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        finish("timeout", null);
      }, options.timeoutMs ?? defaultTimeoutMs);
      child.stdout?.on("data", (chunk: Buffer) => out.push(Buffer.from(chunk)));
      child.stderr?.on("data", (chunk: Buffer) => err.push(Buffer.from(chunk)));
      child.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") finish("missing", null);
        else {
          err.push(Buffer.from(String(error.message)));
          finish("failed", null);
        }
      });
      child.on("close", (code: number | null) => finish(code === 0 ? "ok" : "failed", code));
    });
}
