/**
 * Service managers are driven through their command-line tools (systemctl, launchctl, schtasks, useradd). A runner
 * is injected so tests can put fake tools on PATH and record the calls; the real one spawns a child process with the
 * context's environment. Nothing secret is ever passed as an argument.
 */
import type { SpawnFn } from "../../context.ts";

export interface RunResult {
  /** Exit code; 127 when the tool does not exist. */
  code: number;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (command: string, args: string[]) => Promise<RunResult>;

export function spawnRunner(spawn: SpawnFn, env: Record<string, string | undefined>, timeoutMs = 60_000): CommandRunner {
  return (command, args) =>
    new Promise((resolve) => {
      let stdout = "";
      let stderr = "";
      let child: ReturnType<SpawnFn>;
      try {
        child = spawn(command, args, { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
      } catch (error) {
        resolve({ code: 127, stdout: "", stderr: (error as Error).message });
        return;
      }
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      child.on("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ code: error.code === "ENOENT" ? 127 : 1, stdout, stderr: stderr || error.message });
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
    });
}

/** `systemctl daemon-reload` → "systemctl daemon-reload", for messages. */
export function commandLine(command: string, args: string[]): string {
  return [command, ...args].map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(" ");
}
