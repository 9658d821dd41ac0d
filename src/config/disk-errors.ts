/**
 * What a failed write under the state directory means to the operator: a full disk and a read-only file system each
 * get their own code and hint (they need different fixes), a planted symlink is refused, the rest is DISK_WRITE.
 */
import { constants, lstatSync } from "node:fs";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";

export function diskWriteError(path: string, error: unknown, unchanged = "the previous file is unchanged"): HostError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (error as Error | undefined)?.message ?? String(error);
  if (code === "ENOSPC" || code === "EDQUOT") return new HostError(CoreErrors.DISK_FULL, `No space left to write ${path}; ${unchanged}.`, { cause: error });
  if (code === "EROFS") return new HostError(CoreErrors.READ_ONLY_FS, `${path} is on a read-only file system; ${unchanged}.`, { cause: error });
  if (code === "ELOOP" || code === "EMLINK" || error instanceof SymlinkRefused) return symlinkError(path, error);
  return new HostError(CoreErrors.DISK_WRITE, `Could not write ${path}: ${reason}`, {
    hint: `Try: fix the directory's permissions; ${unchanged}.`,
    cause: error,
  });
}

export function symlinkError(path: string, cause?: unknown): HostError {
  return new HostError(CoreErrors.UNSAFE_SYMLINK, `${path} is a symbolic link; fabstir-host does not write through links in its state directory.`, {
    hint: `Try: rm ${path} (it is recreated), and find out who created the link.`,
    cause,
  });
}

class SymlinkRefused extends Error {}

/** Flags for opening a file to append without following a symlink in its last component (where the platform can). */
export const APPEND_NOFOLLOW = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

/** Throws when `path` is a symlink (for platforms without O_NOFOLLOW, and before a read that must not follow one). */
export function refuseSymlink(path: string): void {
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    return; // not there yet: it will be created as a plain file
  }
  if (isLink) throw symlinkError(path, new SymlinkRefused(path));
}
