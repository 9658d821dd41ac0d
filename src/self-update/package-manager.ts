/**
 * Homebrew and winget own the binaries they install (their own records, checksums and links), so self-update hands
 * those installs to them instead of replacing the file behind their back.
 */
import type { Writable } from "node:stream";
import type { SpawnFn } from "../context.ts";

export type PackageManagerChannel = "homebrew" | "winget";

export interface PackageManagerCommand {
  command: string;
  args: string[];
  /** As a person would type it. */
  display: string;
}

export const HOMEBREW_FORMULA = "fabstir-host";
export const WINGET_PACKAGE_ID = "Fabstir.FabstirHost";

export function packageManagerCommand(channel: PackageManagerChannel, version?: string): PackageManagerCommand {
  const [command, args] =
    channel === "homebrew" ? ["brew", ["upgrade", HOMEBREW_FORMULA]] : ["winget", ["upgrade", WINGET_PACKAGE_ID, ...(version ? ["--version", version] : [])]];
  return { command, args, display: [command, ...args].join(" ") };
}

export interface RunOutcome {
  exitCode: number | null;
  /** Set when the program could not be started at all (not installed, not on PATH). */
  startError?: string;
}

/** Runs a program to completion; injected so tests never run a real package manager. */
export type UpgradeRunner = (command: string, args: string[]) => Promise<RunOutcome>;

/**
 * The real runner: the package manager's output is passed through to stderr as it comes (it is progress for a
 * person; stdout stays reserved for the command's result and --json envelope).
 */
export function spawnUpgradeRunner(spawn: SpawnFn, stderr: Writable): UpgradeRunner {
  return (command, args) =>
    new Promise<RunOutcome>((resolve) => {
      let settled = false;
      const done = (outcome: RunOutcome) => {
        if (!settled) {
          settled = true;
          resolve(outcome);
        }
      };
      let child: ReturnType<SpawnFn>;
      try {
        child = spawn(command, args, { stdio: ["inherit", "pipe", "pipe"] });
      } catch (error) {
        done({ exitCode: null, startError: (error as Error).message });
        return;
      }
      child.stdout?.on("data", (chunk: Buffer) => stderr.write(chunk));
      child.stderr?.on("data", (chunk: Buffer) => stderr.write(chunk));
      child.on("error", (error) => done({ exitCode: null, startError: error.message }));
      child.on("close", (code) => done({ exitCode: code }));
    });
}
