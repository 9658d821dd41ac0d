/**
 * Installed node builds: `<nodeDir>/<version>-<variant>/`, each with a `fabstir-install.json` that records where its
 * binary is and what was verified. Several versions sit side by side; `node.version` picks one, else the newest runs.
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import type { Paths } from "../../config/paths.ts";
import type { HostConfig } from "../../config/types.ts";
import { HostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";
import { VARIANTS, type NodeVariant } from "./manifest.ts";

export const INSTALL_META_FILE = "fabstir-install.json";
export const NODE_BINARY_NAME = "fabstir-llm-node";

export interface InstallMeta {
  version: string;
  variant: NodeVariant;
  platform: string;
  /** The binary, relative to the build directory. */
  binary: string;
  sha256: string;
  url: string;
  installedAt: string;
}

export interface InstalledBuild extends InstallMeta {
  /** `<version>-<variant>`, the name `node use` / `node remove` accept. */
  id: string;
  dir: string;
  binaryPath: string;
}

export function buildId(version: string, variant: NodeVariant): string {
  return `${version}-${variant}`;
}

function readMeta(dir: string): InstallMeta | null {
  try {
    const meta = JSON.parse(readFileSync(join(dir, INSTALL_META_FILE), "utf8")) as InstallMeta;
    return typeof meta.version === "string" && VARIANTS.includes(meta.variant) && typeof meta.binary === "string" ? meta : null;
  } catch {
    return null;
  }
}

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Builds on disk, newest version first; for one version the faster variant first. Half-finished dirs are ignored. */
export function listInstalledBuilds(nodeDir: string): InstalledBuild[] {
  if (!existsSync(nodeDir)) return [];
  const builds: InstalledBuild[] = [];
  for (const entry of readdirSync(nodeDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const dir = join(nodeDir, entry.name);
    const meta = readMeta(dir);
    if (!meta || entry.name !== buildId(meta.version, meta.variant)) continue;
    builds.push({ ...meta, id: entry.name, dir, binaryPath: join(dir, meta.binary) });
  }
  return builds.sort((a, b) => {
    const byVersion = semver.valid(a.version) && semver.valid(b.version) ? semver.rcompare(a.version, b.version) : b.version.localeCompare(a.version);
    return byVersion !== 0 ? byVersion : VARIANTS.indexOf(a.variant) - VARIANTS.indexOf(b.variant);
  });
}

/** Finds a build by id (`1.4.2-cuda13`) or by version (`1.4.2`, `v1.4.2`) when only one variant of it is installed. */
export function findInstalledBuild(builds: InstalledBuild[], spec: string): InstalledBuild {
  const wanted = spec.trim().replace(/^v/, "");
  const exact = builds.find((b) => b.id === wanted);
  if (exact) return exact;
  const sameVersion = builds.filter((b) => b.version === wanted);
  if (sameVersion.length === 1) return sameVersion[0]!;
  if (sameVersion.length > 1) {
    throw new HostError(NodeErrors.NODE_VERSION_AMBIGUOUS, `Several builds of ${wanted} are installed: ${sameVersion.map((b) => b.id).join(", ")}.`, {
      hint: `Try: name one of them, e.g. ${sameVersion[0]!.id}`,
    });
  }
  throw new HostError(
    NodeErrors.NODE_VERSION_NOT_INSTALLED,
    `Node build ${wanted} is not installed${builds.length ? ` (installed: ${builds.map((b) => b.id).join(", ")})` : ""}.`,
    {
      hint: builds.length ? "Try: fabstir-host node list" : `Try: fabstir-host node install ${wanted}`,
    },
  );
}

export interface ResolvedNodeBinary {
  path: string;
  /** Why this binary: node.binaryPath, the build chosen with `node use`, or the newest installed. */
  source: "binaryPath" | "selected" | "newest";
  build: InstalledBuild | null;
}

/** Like resolveNodeBinary, with where the answer came from. Throws a HostError when nothing runnable is found. */
export function describeNodeBinary(paths: Paths, config: HostConfig): ResolvedNodeBinary {
  const custom = config.node.binaryPath;
  if (custom) {
    if (!isExecutableFile(custom)) {
      throw new HostError(
        NodeErrors.NODE_BINARY_PATH_INVALID,
        `node.binaryPath ${custom} ${existsSync(custom) ? "is not an executable file" : "does not exist"}.`,
      );
    }
    return { path: custom, source: "binaryPath", build: null };
  }
  const builds = listInstalledBuilds(paths.nodeDir);
  const build = config.node.version ? findInstalledBuild(builds, config.node.version) : builds[0];
  if (!build) throw new HostError(NodeErrors.NODE_NOT_INSTALLED, "No fabstir-llm-node build is installed.");
  if (!isExecutableFile(build.binaryPath)) {
    throw new HostError(NodeErrors.NODE_NOT_INSTALLED, `The installed build ${build.id} lost its binary (${build.binaryPath}).`, {
      hint: `Try: fabstir-host node install ${build.version} --force`,
    });
  }
  return { path: build.binaryPath, source: config.node.version ? "selected" : "newest", build };
}

/** The fabstir-llm-node binary to run: node.binaryPath wins, else the build chosen with `node use`, else the newest. */
export function resolveNodeBinary(paths: Paths, config: HostConfig): string {
  return describeNodeBinary(paths, config).path;
}

/** The installed build the host would run, or null (custom binary, nothing installed, or a broken selection). */
export function buildInUse(paths: Paths, config: HostConfig): InstalledBuild | null {
  try {
    return describeNodeBinary(paths, config).build;
  } catch {
    return null;
  }
}
