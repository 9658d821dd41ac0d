/**
 * Replacing the installed binary so that, at every instant, `<binary>` is a complete working file: the old one is
 * hard-linked (or copied) to `<binary>.previous` first, then the verified new file is renamed over `<binary>`, which
 * is atomic on one file system. Windows cannot rename over a running executable but can rename it away, so there the
 * old binary moves to `.previous` and the new one takes its name right after (and moves back on failure).
 */
import { chmodSync, copyFileSync, existsSync, linkSync, renameSync, rmSync, statSync } from "node:fs";
import { HostError } from "../errors/host-error.ts";
import { ShipErrors } from "../errors/codes/ship.ts";
import { tempPathBeside } from "./download.ts";

export function previousPath(binary: string): string {
  return `${binary}.previous`;
}

export function nextPath(binary: string): string {
  return `${binary}.next`;
}

/** A second name for `source` at `dest` (hard link; a copy where links are not supported). */
export function duplicateFile(source: string, dest: string): void {
  rmSync(dest, { force: true });
  try {
    linkSync(source, dest);
  } catch {
    copyFileSync(source, dest);
    chmodSync(dest, statSync(source).mode & 0o777);
  }
}

function replaceFailed(binary: string, error: unknown): HostError {
  return new HostError(ShipErrors.UPDATE_REPLACE_FAILED, `Could not move the new binary into place at ${binary}: ${(error as Error).message}`, {
    cause: error,
  });
}

/**
 * Moves `source` (a verified file in the binary's directory) onto `binary`, keeping the replaced one as
 * `<binary>.previous` for `self-update --rollback`.
 */
export function installOver(binary: string, source: string, platform: NodeJS.Platform = process.platform): void {
  const previous = previousPath(binary);
  const hadBinary = existsSync(binary);
  if (platform === "win32") {
    try {
      rmSync(previous, { force: true });
      if (hadBinary) renameSync(binary, previous);
    } catch (error) {
      throw replaceFailed(binary, error);
    }
    try {
      renameSync(source, binary);
    } catch (error) {
      if (hadBinary) renameSync(previous, binary);
      throw replaceFailed(binary, error);
    }
    return;
  }
  try {
    if (hadBinary) {
      // Built under a temp name and renamed, so a crash never leaves a half-copied `.previous`.
      const staging = tempPathBeside(binary, "previous");
      duplicateFile(binary, staging);
      renameSync(staging, previous);
    }
    renameSync(source, binary);
  } catch (error) {
    throw replaceFailed(binary, error);
  }
}

/** Exchanges `<binary>` and `<binary>.previous`, so a second rollback undoes the first. */
export function swapWithPrevious(binary: string, platform: NodeJS.Platform = process.platform): void {
  const previous = previousPath(binary);
  if (!existsSync(previous)) {
    throw new HostError(ShipErrors.UPDATE_NO_PREVIOUS, `There is no previous binary to roll back to (${previous} does not exist).`);
  }
  const parked = tempPathBeside(binary, "rollback");
  let swapped = false;
  try {
    if (platform === "win32") {
      renameSync(binary, parked);
      try {
        renameSync(previous, binary);
      } catch (error) {
        renameSync(parked, binary);
        throw error;
      }
    } else {
      duplicateFile(binary, parked);
      renameSync(previous, binary); // atomic: `<binary>` goes from the current build straight to the previous one
    }
    swapped = true;
    renameSync(parked, previous);
  } catch (error) {
    // Before the swap `parked` is a spare name; after it, the only copy of the replaced build: keep that one.
    if (!swapped) rmSync(parked, { force: true });
    throw replaceFailed(binary, error);
  }
}
