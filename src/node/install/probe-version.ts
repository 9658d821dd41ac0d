/**
 * Runs an unpacked node binary once to prove it starts on this machine and to read its version.
 *
 * The real node reads no arguments: main() prints `📦 BUILD VERSION: <VERSION>` first thing and goes on starting up
 * (fabstir-llm-node@85a87b8 src/main.rs:21-31, VERSION = "v8.38.0-ltx-ingredients-template-2026-07-18" in
 * src/version.rs:6), although its README says `./fabstir-llm-node --version` (README.md:177). So the probe passes
 * `--version` (a future build may honour it), takes the first version line from either form, and stops the process
 * as soon as it has one: the banner comes before any model load or port bind (src/main.rs:35-60, 296, 329).
 */
import type { SpawnFn } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";

export interface ProbeOptions {
  spawn: SpawnFn;
  /** PATH and library paths only: the node must not see our secrets, nor start half-configured for real. */
  env: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** `📦 BUILD VERSION: v8.38.0-label-2026-07-18` (the real banner) or `fabstir-llm-node 8.38.0` (a --version answer). */
const VERSION_LINE = /(?:BUILD VERSION:\s*|fabstir-llm-node\s+)v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)/;
/** glibc's loader, when a linked library is absent: `error while loading shared libraries: libcudart.so.13: …`. */
const MISSING_LIBRARY = /error while loading shared libraries: (\S+?):/;

export function parseNodeVersion(output: string): string | null {
  return VERSION_LINE.exec(output)?.[1] ?? null;
}

const KEPT_ENV = /^(PATH|LD_LIBRARY_PATH|CUDA_[A-Z_]+|NVIDIA_[A-Z_]+|HOME|LANG|TMPDIR)$/;

export async function probeNodeVersion(binary: string, options: ProbeOptions): Promise<string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.env)) if (value !== undefined && KEPT_ENV.test(name)) env[name] = value;
  // DISABLE_LLM keeps a real node from loading a model should it outrun the kill (src/main.rs:97).
  env.DISABLE_LLM = "true";
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  const child = options.spawn(binary, ["--version"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  };
  const outcome = await new Promise<{ version: string | null; code: number | null; error?: Error; timedOut?: boolean }>((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve({ version: null, code: null, timedOut: true });
    }, options.timeoutMs ?? 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const version = parseNodeVersion(output);
      if (version) {
        clearTimeout(timer);
        stop();
        resolve({ version, code: null });
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ version: null, code: null, error });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ version: parseNodeVersion(output), code });
    });
  });
  // Wait for the process to be gone, so nothing the probe started outlives it.
  if (!outcome.error && child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once("close", r));
  if (outcome.version) return outcome.version;
  const tail = output.trim().split("\n").slice(-3).join(" | ").slice(0, 400);
  const library = MISSING_LIBRARY.exec(output)?.[1];
  if (library) {
    throw new HostError(NodeErrors.NODE_BINARY_WONT_RUN, `The node binary cannot start here: ${library} is missing.`, {
      hint: `Try: install the CUDA 13 runtime that provides ${library} (or run the host's Docker image), then install again`,
      details: { missingLibrary: library, output: tail },
    });
  }
  const why = outcome.error
    ? outcome.error.message
    : outcome.timedOut
      ? "no version line within the time allowed"
      : `it exited with code ${outcome.code} without printing a version`;
  throw new HostError(NodeErrors.NODE_BINARY_WONT_RUN, `The node binary did not report a version: ${why}.`, { details: { output: tail } });
}
