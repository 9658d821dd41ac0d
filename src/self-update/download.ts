/**
 * Fetching a new binary and proving it before it may replace the installed one: streamed to a temp file beside the
 * binary (same directory, so the final move is a rename on one file system), hashed on the way, compared with
 * SHA256SUMS, then started once with `--version`. Any failure deletes the temp file; the installed binary is never
 * touched here.
 */
import { accessSync, closeSync, constants, fsyncSync, openSync, rmSync, writeSync, createReadStream, chmodSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import type { FetchFn, SpawnFn } from "../context.ts";
import { spawnRunner } from "../node/gpu/command-runner.ts";
import { HostError } from "../errors/host-error.ts";
import { ShipErrors } from "../errors/codes/ship.ts";

export interface ByteProgress {
  received: number;
  total: number | null;
  resumedFrom: number;
}

export interface VerifiedDownloadOptions {
  fetch: FetchFn;
  url: string;
  dest: string;
  expectedSha256: string;
  /** Name shown in messages (the release file name). */
  label: string;
  onProgress?: (progress: ByteProgress) => void;
  timeoutMs?: number;
  userAgent?: string;
}

/** A temp name beside `binary`, hidden, unique to this process. */
export function tempPathBeside(binary: string, purpose: string): string {
  return join(dirname(binary), `.${basename(binary)}.${purpose}.${process.pid}.${randomBytes(3).toString("hex")}`);
}

/** Refuses early (before any download) when the binary's directory is not ours to write. */
export function assertWritableDir(binary: string): void {
  const dir = dirname(binary);
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new HostError(ShipErrors.UPDATE_NOT_WRITABLE, `Cannot write to ${dir}, where ${basename(binary)} is installed.`, { cause: error });
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function downloadVerified(options: VerifiedDownloadOptions): Promise<{ sha256: string; size: number }> {
  const { url, dest } = options;
  let fd: number | undefined;
  const fail = (error: HostError): never => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    rmSync(dest, { force: true });
    throw error;
  };
  try {
    const response = await options.fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 15 * 60_000),
      headers: { "user-agent": options.userAgent ?? "fabstir-host" },
      redirect: "follow",
    });
    if (!response.ok || !response.body) {
      return fail(new HostError(ShipErrors.UPDATE_DOWNLOAD_FAILED, `Could not download ${options.label}: ${url} answered HTTP ${response.status}.`));
    }
    const length = Number(response.headers.get("content-length"));
    const total = Number.isFinite(length) && length > 0 ? length : null;
    fd = openSync(dest, "wx", 0o700);
    const hash = createHash("sha256");
    let received = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      let offset = 0;
      while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
      received += chunk.length;
      options.onProgress?.({ received, total, resumedFrom: 0 });
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    const actual = hash.digest("hex");
    if (actual !== options.expectedSha256.toLowerCase()) {
      return fail(
        new HostError(
          ShipErrors.UPDATE_CHECKSUM_MISMATCH,
          `Checksum mismatch for ${options.label}: expected ${options.expectedSha256}, got ${actual}. The download was deleted.`,
          {
            details: { expected: options.expectedSha256, actual, url },
          },
        ),
      );
    }
    chmodSync(dest, 0o755);
    return { sha256: actual, size: received };
  } catch (error) {
    if (error instanceof HostError) throw error;
    return fail(
      new HostError(ShipErrors.UPDATE_DOWNLOAD_FAILED, `Could not download ${options.label} from ${url}: ${(error as Error).message}`, { cause: error }),
    );
  }
}

export interface VersionProbe {
  version: string;
  commit: string | null;
}

/** `fabstir-host 1.2.3 (abc123)` → { version, commit }. */
export function parseVersionLine(text: string): VersionProbe | null {
  const match = /fabstir-host\s+v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)(?:\s+\(([^)]*)\))?/.exec(text);
  return match ? { version: match[1]!, commit: match[2] ?? null } : null;
}

/** Starts the binary once with `--version`: a build that cannot run here must never replace one that can. */
export async function probeBinary(spawn: SpawnFn, binary: string, expectedVersion: string | null, timeoutMs = 20_000): Promise<VersionProbe> {
  const result = await spawnRunner(spawn, timeoutMs)(binary, ["--version"]);
  const probe = result.status === "ok" ? parseVersionLine(result.stdout) : null;
  if (!probe) {
    const why =
      result.status === "timeout" ? "timed out" : result.status === "missing" ? "could not be started" : `exited with ${result.exitCode ?? result.status}`;
    const output = (result.stderr || result.stdout).trim().split("\n")[0]?.slice(0, 200);
    throw new HostError(
      ShipErrors.UPDATE_NEW_BINARY_BROKEN,
      `The new binary failed \`--version\` (${why}${output ? `: ${output}` : ""}); the installed one was kept.`,
      {
        details: { status: result.status, exitCode: result.exitCode },
      },
    );
  }
  if (expectedVersion && probe.version !== expectedVersion) {
    throw new HostError(
      ShipErrors.UPDATE_NEW_BINARY_BROKEN,
      `The new binary reports version ${probe.version}, not ${expectedVersion}; the installed one was kept.`,
    );
  }
  return probe;
}
