/**
 * An open log file. Writes are synchronous: a line is on disk (in the page cache) when `write` returns, so the last
 * lines before a crash are never lost in a buffer, and a failure (disk full, I/O error) surfaces right at the call
 * that caused it instead of as a stray 'error' event later.
 */
import { closeSync, fstatSync, openSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { APPEND_NOFOLLOW, refuseSymlink, symlinkError } from "../../config/disk-errors.ts";

export interface LogFileHandle {
  /** Throws on failure (ENOSPC, EIO …); the caller decides what to do. */
  write(text: string): void;
  /** Bytes in the file now (other processes may append to it too). */
  size(): number;
  /** When the file was last written, from the file system. */
  modifiedAt(): number;
  /** False once the path no longer names this file: deleted, its directory removed, or renamed by another process. */
  isCurrent(): boolean;
  close(): void;
}

export type OpenLogFile = (path: string) => LogFileHandle;

/**
 * Never through a symlink: a `logs/cli.log` (or `logs/`) planted as a link would otherwise let whoever made it pick a
 * file this user can write and have log lines appended to it. O_NOFOLLOW covers the file; an lstat covers the
 * directory and platforms without the flag.
 */
export const openFsLogFile: OpenLogFile = (path) => {
  refuseSymlink(dirname(path));
  refuseSymlink(path);
  let fd: number;
  try {
    fd = openSync(path, APPEND_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw symlinkError(path, error);
    throw error;
  }
  let closed = false;
  return {
    write(text) {
      const buffer = Buffer.from(text, "utf8");
      let offset = 0;
      // writeSync may write part of the buffer on some file systems; keep going until it is all out.
      while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
    },
    size: () => fstatSync(fd).size,
    modifiedAt: () => fstatSync(fd).mtimeMs,
    isCurrent() {
      try {
        const onDisk = statSync(path);
        const open = fstatSync(fd);
        return onDisk.ino === open.ino && onDisk.dev === open.dev;
      } catch {
        return false;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        closeSync(fd);
      } catch {
        // Already gone (EBADF after a device error): nothing left to release.
      }
    },
  };
};
