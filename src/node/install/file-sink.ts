/**
 * Where downloaded bytes are written. Injectable so tests can simulate a full disk (a sink that throws ENOSPC)
 * without filling one.
 */
import { open, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createHash, type Hash } from "node:crypto";

export interface FileSink {
  write(chunk: Uint8Array): Promise<void>;
  /** Flushes to disk and closes; called once, also after a failed write. */
  close(): Promise<void>;
}

export type OpenSink = (path: string, mode: "append" | "truncate") => Promise<FileSink>;

export const openFileSink: OpenSink = async (path, mode) => {
  const handle = await open(path, mode === "append" ? "a" : "w", 0o644);
  let failed = false;
  return {
    async write(chunk) {
      try {
        let written = 0;
        while (written < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
          written += bytesWritten;
        }
      } catch (error) {
        failed = true;
        throw error;
      }
    },
    async close() {
      try {
        // fsync so a power cut after the rename cannot leave a "verified" file with missing blocks.
        if (!failed) await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
};

/** Feeds a file's bytes into a hash (resuming a download re-hashes what is already on disk). */
export async function hashFileInto(path: string, hash: Hash): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  const size = await hashFileInto(path, hash);
  return { sha256: hash.digest("hex"), size };
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}

/** Local file errors (permissions, read-only disk) carry the failing system call; network errors do not. */
export function isFileSystemError(error: unknown): boolean {
  const syscall = (error as NodeJS.ErrnoException | undefined)?.syscall;
  return typeof syscall === "string" && /^(open|write|fsync|close|rename|mkdir|unlink|ftruncate)$/.test(syscall);
}

export async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}
