/**
 * `node install --from`: installs a fabstir-llm-node release tarball as it is really shipped. The node is built from
 * source (`cargo build --release --features real-ezkl`, fabstir-llm-node@85a87b8 README.md:72-76) and handed out as
 * `fabstir-llm-node-vX.Y.Z[-label].tar.gz` with the binary at the top (README.md:183-188): no manifest, no checksum
 * file, one build, CUDA 13 (Dockerfile.production:3 is `nvidia/cuda:13.0.0-runtime-ubuntu22.04`).
 *
 * So the checksum comes from the person installing: required for a URL (nothing else vouches for the bytes), shown
 * for a local file (to compare with what the publisher said). The binary is found wherever the tarball holds it, run
 * once to prove it starts here and to read its version, and the build goes into place atomically like any other.
 */
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { FetchFn, SpawnFn } from "../../context.ts";
import type { Paths } from "../../config/paths.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import { HostError, isHostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";
import { downloadFile, type DownloadOptions, type DownloadProgress } from "./download.ts";
import { isDiskFull, sha256File } from "./file-sink.ts";
import { INSTALL_META_FILE, buildId, listInstalledBuilds, type InstallMeta } from "./installed.ts";
import { currentPlatform, type NodeVariant } from "./manifest.ts";
import { downloadsDir, moveIntoPlace } from "./place.ts";
import { probeNodeVersion } from "./probe-version.ts";
import { locateNodeBinary, unpackArchive } from "./unpack.ts";

export interface InstallFromOptions {
  paths: Paths;
  fetch: FetchFn;
  spawn: SpawnFn;
  /** An http(s) URL or a path to a .tar.gz. */
  from: string;
  sha256?: string;
  /** The only build shipped is CUDA 13 (Dockerfile.production:3). */
  variant?: NodeVariant;
  force?: boolean;
  /** PATH and library paths for the version probe. */
  env: Record<string, string | undefined>;
  probeTimeoutMs?: number;
  logger?: Logger;
  onProgress?: (progress: DownloadProgress) => void;
  download?: Pick<DownloadOptions, "sleep" | "retries" | "retryDelayMs" | "idleTimeoutMs" | "signal">;
}

export interface InstallFromResult {
  id: string;
  version: string;
  variant: NodeVariant;
  source: { kind: "url" | "file"; location: string };
  sha256: string;
  /** True when the SHA-256 was checked against --sha256; false when it is only shown (a local file without one). */
  sha256Verified: boolean;
  dir: string;
  binaryPath: string;
  /** Where the binary sat inside the tarball. */
  binaryInArchive: string;
  alreadyInstalled: boolean;
}

const SHA256 = /^[0-9a-fA-F]{64}$/;

/** A URL as recorded and shown: a signed download link's query (its token) and any user:password are left out. */
export function shownUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

function parseSource(from: string, sha256: string | undefined): { kind: "url" | "file"; location: string } {
  if (sha256 !== undefined && !SHA256.test(sha256)) {
    throw new HostError(NodeErrors.NODE_SOURCE_INVALID, "--sha256 must be 64 hex digits.", { hint: "Try: sha256sum fabstir-llm-node-vX.Y.Z.tar.gz" });
  }
  if (/^https?:\/\//i.test(from)) {
    if (!sha256) {
      throw new HostError(
        NodeErrors.NODE_SHA256_REQUIRED,
        `No --sha256 for ${shownUrl(from)}: node releases publish no checksums, so the download must be checked against one you trust.`,
      );
    }
    return { kind: "url", location: from };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from)) {
    throw new HostError(NodeErrors.NODE_SOURCE_INVALID, `--from ${from}: only http(s) URLs and local files are supported.`);
  }
  const path = resolve(from);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new HostError(NodeErrors.NODE_SOURCE_INVALID, `--from ${from}: no such file.`, {
      hint: "Try: pass the path of the downloaded fabstir-llm-node-vX.Y.Z.tar.gz",
    });
  }
  return { kind: "file", location: path };
}

/** Fetches (URL) or hashes (file) the tarball; returns its path and SHA-256. */
async function obtainArchive(options: InstallFromOptions, source: { kind: "url" | "file"; location: string }): Promise<{ archive: string; sha256: string }> {
  if (source.kind === "file") {
    const { sha256 } = await sha256File(source.location);
    if (options.sha256 && sha256 !== options.sha256.toLowerCase()) {
      throw new HostError(NodeErrors.CHECKSUM_MISMATCH, `SHA-256 mismatch for ${source.location}: expected ${options.sha256.toLowerCase()}, got ${sha256}.`, {
        hint: "Try: download the release again, or check the SHA-256 you were given",
        details: { expected: options.sha256.toLowerCase(), actual: sha256 },
      });
    }
    return { archive: source.location, sha256 };
  }
  await mkdir(downloadsDir(options.paths), { recursive: true, mode: 0o700 });
  const name = basename(new URL(source.location).pathname).replace(/[^\w.-]/g, "_") || "fabstir-llm-node.tar.gz";
  const archive = join(downloadsDir(options.paths), `${options.sha256!.toLowerCase().slice(0, 12)}-${name}`);
  const downloaded = await downloadFile({
    ...options.download,
    url: source.location,
    dest: archive,
    fetch: options.fetch,
    expectedSha256: options.sha256,
    onProgress: options.onProgress,
    logger: options.logger,
  });
  return { archive, sha256: downloaded.sha256 };
}

export async function installNodeFrom(options: InstallFromOptions): Promise<InstallFromResult> {
  const source = parseSource(options.from, options.sha256);
  const variant = options.variant ?? "cuda13";
  const { paths } = options;
  await mkdir(paths.nodeDir, { recursive: true, mode: 0o700 });
  const { archive, sha256 } = await obtainArchive(options, source);
  const staging = await mkdtemp(join(paths.nodeDir, ".tmp-from-"));
  try {
    await unpackArchive(archive, staging);
    const binary = await locateNodeBinary(staging);
    const version = await probeNodeVersion(join(staging, binary), { spawn: options.spawn, env: options.env, timeoutMs: options.probeTimeoutMs });
    const id = buildId(version, variant);
    const target = join(paths.nodeDir, id);
    const shown = { kind: source.kind, location: source.kind === "url" ? shownUrl(source.location) : source.location };
    const base = { id, version, variant, source: shown, sha256, sha256Verified: options.sha256 !== undefined, binaryInArchive: binary };
    const existing = listInstalledBuilds(paths.nodeDir).find((b) => b.id === id);
    if (existing && !options.force) {
      await rm(staging, { recursive: true, force: true });
      return { ...base, dir: existing.dir, binaryPath: existing.binaryPath, alreadyInstalled: true };
    }
    const meta: InstallMeta = {
      version,
      variant,
      platform: currentPlatform() ?? `${process.platform}-${process.arch}`,
      binary,
      sha256,
      url: source.kind === "url" ? shown.location : `file://${source.location}`,
      installedAt: new Date().toISOString(),
    };
    await writeFile(join(staging, INSTALL_META_FILE), JSON.stringify(meta, null, 2) + "\n");
    await moveIntoPlace(staging, target, paths.nodeDir, id);
    options.logger?.info("node build installed", { id, dir: target, from: source.kind });
    if (source.kind === "url") await rm(archive, { force: true });
    return { ...base, dir: target, binaryPath: join(target, binary), alreadyInstalled: false };
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    if (isHostError(error)) throw error;
    if (isDiskFull(error))
      throw new HostError(NodeErrors.DISK_FULL, "The disk filled up while installing the node; installed builds were not touched.", { cause: error });
    throw new HostError(NodeErrors.INSTALL_FAILED, `Could not install ${options.from}: ${(error as Error).message}`, { cause: error });
  }
}
