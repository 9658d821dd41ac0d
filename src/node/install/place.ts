/** Where downloads wait, and how a finished build moves into the node directory in one step. */
import { mkdtemp, rename, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Paths } from "../../config/paths.ts";

export function downloadsDir(paths: Paths): string {
  return join(paths.nodeDir, ".downloads");
}

/**
 * rename(2) is atomic within one file system: the build appears complete or not at all. A reinstall first moves
 * the old build aside, so a failure at the last step can put it back.
 */
export async function moveIntoPlace(staging: string, target: string, nodeDir: string, id: string): Promise<void> {
  if (!existsSync(target)) {
    await rename(staging, target);
    return;
  }
  const aside = await mkdtemp(join(nodeDir, `.old-${id}-`));
  const old = join(aside, "build");
  await rename(target, old);
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(old, target).catch(() => {});
    throw error;
  } finally {
    await rm(aside, { recursive: true, force: true }).catch(() => {});
  }
}
