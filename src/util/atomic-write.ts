/**
 * Atomic file replacement: write a temp file beside the target, fsync it, rename over the target, fsync the directory.
 * A crash at any point leaves either the old file or the new one, never a mix. Used for config, keystores and journals.
 */
import { constants, closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync, chmodSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface AtomicWriteOptions {
  mode?: number;
  dirMode?: number;
  /** Test hook: called after the temp file is durable and before the rename (simulates a crash there). */
  beforeRename?: (tempPath: string) => void;
}

/**
 * Eight random hex digits for the temp name. Web Crypto is a global: loading node:crypto for four bytes would cost
 * every command that writes a file a few milliseconds of start-up.
 */
function tempSuffix(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(4))).toString("hex");
}

export function atomicWriteFileSync(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const directory = dirname(target);
  mkdirSync(directory, { recursive: true, mode: options.dirMode ?? 0o700 });
  const temp = join(directory, `.${basename(target)}.${process.pid}.${tempSuffix()}.tmp`);
  const mode = options.mode ?? 0o600;
  const fd = openSync(temp, "wx", mode);
  try {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {}
    throw error;
  }
  closeSync(fd);
  chmodSync(temp, mode); // the umask may have narrowed or the file may pre-exist with other bits
  options.beforeRename?.(temp);
  renameSync(temp, target);
  try {
    const dirFd = openSync(directory, "r");
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  }
}

/** True for the temp files atomicWriteFileSync leaves behind after a crash before its rename. */
export function isAtomicTempFile(name: string): boolean {
  return /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/.test(name);
}

/**
 * Writes `text` through one descriptor and syncs it before returning: flag "a" appends a line to a log-like file, "w"
 * fills a temp file that is renamed next. After it returns, the bytes survive a crash or a power loss.
 */
export function writeSynced(path: string, text: string, flag: "a" | "w", mode = 0o600): void {
  // O_NOFOLLOW: state files are never written through a symlink someone planted in their place.
  const flags = constants.O_WRONLY | constants.O_CREAT | (flag === "a" ? constants.O_APPEND : constants.O_TRUNC) | (constants.O_NOFOLLOW ?? 0);
  const fd = openSync(path, flags, mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
