/** `node list`, `node use`, `node remove`: the services behind them (the commands only parse and render). */
import { mkdtemp, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Paths } from "../../config/paths.ts";
import type { HostConfig } from "../../config/types.ts";
import { HostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";
import { buildInUse, describeNodeBinary, findInstalledBuild, listInstalledBuilds, type InstalledBuild } from "./installed.ts";

export interface NodeBuildListing {
  builds: Array<InstalledBuild & { inUse: boolean }>;
  /** What the host would run now, or why nothing runs. */
  active: { path: string; source: "binaryPath" | "selected" | "newest"; id: string | null } | { error: string; code: string };
}

export function listNodeBuilds(paths: Paths, config: HostConfig): NodeBuildListing {
  const inUse = buildInUse(paths, config);
  const builds = listInstalledBuilds(paths.nodeDir).map((b) => ({ ...b, inUse: b.id === inUse?.id }));
  let active: NodeBuildListing["active"];
  try {
    const resolved = describeNodeBinary(paths, config);
    active = { path: resolved.path, source: resolved.source, id: resolved.build?.id ?? null };
  } catch (error) {
    active = error instanceof HostError ? { error: error.message, code: error.code } : { error: String(error), code: "" };
  }
  return { builds, active };
}

/** Resolves `node use <spec>` to an installed build; the command records `build.id` as node.version. */
export function selectNodeBuild(paths: Paths, spec: string): InstalledBuild {
  return findInstalledBuild(listInstalledBuilds(paths.nodeDir), spec);
}

export interface RemoveNodeResult {
  removed: InstalledBuild;
  /** It was the build the host runs; node.version should be cleared if it pointed at it. */
  wasInUse: boolean;
}

export async function removeNodeBuild(paths: Paths, config: HostConfig, spec: string, options: { force?: boolean } = {}): Promise<RemoveNodeResult> {
  const build = findInstalledBuild(listInstalledBuilds(paths.nodeDir), spec);
  const wasInUse = buildInUse(paths, config)?.id === build.id;
  if (wasInUse && !options.force) {
    throw new HostError(NodeErrors.NODE_IN_USE, `Node build ${build.id} is the one in use.`);
  }
  // Rename first so the build vanishes at once; a half-deleted directory would look like a broken install.
  const trash = await mkdtemp(join(paths.nodeDir, `.trash-${build.id}-`));
  await rename(build.dir, join(trash, "build"));
  await rm(trash, { recursive: true, force: true });
  return { removed: build, wasInUse };
}
