/**
 * Unpacks a verified node tarball with the `tar` package (no shell, no system tar) and finds the binary in it.
 * tar refuses absolute paths and `..` entries by default, so an archive cannot write outside its directory.
 */
import { extract } from "tar";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { HostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";
import { isDiskFull } from "./file-sink.ts";
import { NODE_BINARY_NAME, isExecutableFile } from "./installed.ts";

export async function unpackArchive(archive: string, into: string): Promise<void> {
  try {
    await extract({ file: archive, cwd: into, strict: true, preservePaths: false });
  } catch (error) {
    if (isDiskFull(error)) {
      throw new HostError(NodeErrors.DISK_FULL, `The disk filled up while unpacking ${archive}.`, { cause: error });
    }
    throw new HostError(NodeErrors.ARCHIVE_INVALID, `Could not unpack ${archive}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The binary's path relative to `root`: at the top, or inside the release's folder (tarballs usually hold one
 * top-level directory). Searches a few levels deep, shallowest first.
 */
export async function locateNodeBinary(root: string, maxDepth = 3): Promise<string> {
  let level = [root];
  let found: string | null = null;
  for (let depth = 0; depth <= maxDepth && level.length > 0 && !found; depth += 1) {
    const next: string[] = [];
    for (const dir of level) {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.name === NODE_BINARY_NAME && entry.isFile())
          found ??= path; // a symlink could point anywhere
        else if (entry.isDirectory()) next.push(path);
      }
    }
    level = next.sort();
  }
  if (!found) throw new HostError(NodeErrors.ARCHIVE_NO_BINARY, `The release archive contains no ${NODE_BINARY_NAME}.`);
  if (!isExecutableFile(found)) {
    throw new HostError(NodeErrors.ARCHIVE_NO_BINARY, `${NODE_BINARY_NAME} in the release archive is not an executable file.`);
  }
  return relative(root, found);
}
