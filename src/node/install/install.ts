/**
 * `node install`: pick the build for this GPU, download and verify it, unpack it into a temporary directory beside
 * the installed builds, check the binary, then rename the directory into place. Every failure before the rename
 * (bad checksum, truncated download, full disk, broken archive) leaves the installed builds exactly as they were.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FetchFn } from "../../context.ts";
import type { Paths } from "../../config/paths.ts";
import type { HostConfig } from "../../config/types.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import type { GpuReport } from "../gpu/types.ts";
import { HostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";
import { configuredManifestUrl, currentPlatform, fetchManifest, pickRelease, type NodeManifest, type NodePlatform, type NodeVariant } from "./manifest.ts";
import { chooseArtifact, chooseVariant } from "./variant.ts";
import { downloadFile, type DownloadOptions, type DownloadProgress } from "./download.ts";
import { INSTALL_META_FILE, buildId, listInstalledBuilds, type InstallMeta } from "./installed.ts";
import { locateNodeBinary, unpackArchive } from "./unpack.ts";
import { isDiskFull } from "./file-sink.ts";
import { downloadsDir, moveIntoPlace } from "./place.ts";

export interface InstallNodeOptions {
  paths: Paths;
  config: HostConfig;
  fetch: FetchFn;
  gpu: GpuReport;
  /** Defaults to the version the manifest marks newest (stable). */
  version?: string;
  /** Forces a variant instead of choosing one for the GPU. */
  variant?: NodeVariant;
  /** Reinstall over an existing build of the same version and variant. */
  force?: boolean;
  /** Defaults to this machine's platform. */
  platform?: NodePlatform | null;
  /** A manifest already fetched (tests, `--manifest-file`). */
  manifest?: NodeManifest;
  logger?: Logger;
  onProgress?: (progress: DownloadProgress) => void;
  /** Called once the build is chosen, before the download starts (so the command can explain the choice). */
  onPlan?: (plan: InstallPlan) => void;
  download?: Pick<DownloadOptions, "sleep" | "retries" | "retryDelayMs" | "openSink" | "freeSpace" | "idleTimeoutMs" | "signal">;
}

export interface InstallPlan {
  id: string;
  version: string;
  variant: NodeVariant;
  platform: NodePlatform;
  reason: string;
  url: string;
  size: number;
  sha256: string;
}

export interface InstallNodeResult extends InstallPlan {
  dir: string;
  binaryPath: string;
  alreadyInstalled: boolean;
  download: { resumedFrom: number; attempts: number } | null;
}

export async function planInstall(options: InstallNodeOptions): Promise<InstallPlan> {
  const platform = options.platform === undefined ? currentPlatform() : options.platform;
  if (!platform) {
    throw new HostError(NodeErrors.UNSUPPORTED_PLATFORM, `No fabstir-llm-node builds are published for ${process.platform}-${process.arch}.`);
  }
  const manifest = options.manifest ?? (await fetchManifest(options.fetch, configuredManifestUrl(options.config)));
  const release = pickRelease(manifest, options.version);
  const choice = options.variant
    ? { variant: options.variant, reason: `Variant ${options.variant} requested with --variant.` }
    : chooseVariant(options.gpu, platform);
  const picked = chooseArtifact(release, platform, choice, options.gpu, options.variant !== undefined);
  if (!picked.artifact) {
    throw new HostError(NodeErrors.NO_ARTIFACT, `Node ${release.version} has no ${choice.variant} build for ${platform}.`, {
      details: { reason: picked.reason },
    });
  }
  const { artifact } = picked;
  return {
    id: buildId(release.version, artifact.variant),
    version: release.version,
    variant: artifact.variant,
    platform,
    reason: picked.reason,
    url: artifact.url,
    size: artifact.size,
    sha256: artifact.sha256.toLowerCase(),
  };
}

export async function installNode(options: InstallNodeOptions): Promise<InstallNodeResult> {
  const plan = await planInstall(options);
  options.onPlan?.(plan);
  const { paths } = options;
  const target = join(paths.nodeDir, plan.id);
  const existing = listInstalledBuilds(paths.nodeDir).find((b) => b.id === plan.id);
  if (existing && !options.force) {
    return { ...plan, dir: existing.dir, binaryPath: existing.binaryPath, alreadyInstalled: true, download: null };
  }

  await mkdir(downloadsDir(paths), { recursive: true, mode: 0o700 });
  const archive = join(downloadsDir(paths), `fabstir-llm-node-${plan.id}-${plan.platform}.tar.gz`);
  const downloaded = await downloadFile({
    ...options.download,
    url: plan.url,
    dest: archive,
    fetch: options.fetch,
    expectedSize: plan.size,
    expectedSha256: plan.sha256,
    onProgress: options.onProgress,
    logger: options.logger,
  });

  const staging = await mkdtemp(join(paths.nodeDir, `.tmp-${plan.id}-`));
  try {
    await unpackArchive(archive, staging);
    const binary = await locateNodeBinary(staging);
    const meta: InstallMeta = {
      version: plan.version,
      variant: plan.variant,
      platform: plan.platform,
      binary,
      sha256: plan.sha256,
      url: plan.url,
      installedAt: new Date().toISOString(),
    };
    await writeFile(join(staging, INSTALL_META_FILE), JSON.stringify(meta, null, 2) + "\n");
    await moveIntoPlace(staging, target, paths.nodeDir, plan.id);
    options.logger?.info("node build installed", { id: plan.id, dir: target });
    // The tarball is ~1 GB and verified builds never need it again.
    await rm(archive, { force: true });
    return {
      ...plan,
      dir: target,
      binaryPath: join(target, binary),
      alreadyInstalled: false,
      download: { resumedFrom: downloaded.resumedFrom, attempts: downloaded.attempts },
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    if (error instanceof HostError) throw error;
    if (isDiskFull(error))
      throw new HostError(NodeErrors.DISK_FULL, `The disk filled up while installing ${plan.id}; installed builds were not touched.`, { cause: error });
    throw new HostError(NodeErrors.INSTALL_FAILED, `Could not install ${plan.id}: ${(error as Error).message}`, { cause: error });
  }
}
