/**
 * Resumable, verified downloads (node releases, model files).
 *
 * Bytes go to `<dest>.partial`; an interrupted download continues from there with an HTTP Range request, and the
 * SHA-256 is computed incrementally over the bytes already on disk plus the new ones. Only a file whose size and hash
 * check out is renamed onto `<dest>`, so a bad or half download never takes the place of a good file.
 */
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { createHash, type Hash } from "node:crypto";
import type { FetchFn } from "../../context.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import { HostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";
import { CoreErrors } from "../../errors/codes/core.ts";
import { diskSpace, formatBytes } from "../gpu/system.ts";
import { hashFileInto, isDiskFull, isFileSystemError, openFileSink, sha256File, sizeOf, type FileSink, type OpenSink } from "./file-sink.ts";
import { partialMatches, readPartialNote, removePartial, writePartialNote } from "./partial-file.ts";

export interface DownloadProgress {
  received: number;
  total: number | null;
  resumedFrom: number;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  fetch: FetchFn;
  expectedSha256?: string | null;
  expectedSize?: number | null;
  /** Sent as `Authorization: Bearer …` (gated models). Never logged. */
  token?: string | null;
  onProgress?: (progress: DownloadProgress) => void;
  /** Extra attempts after a dropped connection or a 5xx (default 5). */
  retries?: number;
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** A connection that delivers nothing for this long counts as dropped (default 60 s). */
  idleTimeoutMs?: number;
  openSink?: OpenSink;
  /** Free bytes where `dest` lives; null when unknown. */
  freeSpace?: (dir: string) => Promise<number | null>;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface DownloadResult {
  path: string;
  size: number;
  sha256: string;
  /** Bytes that were already on disk from an earlier attempt. */
  resumedFrom: number;
  attempts: number;
  /** True when `dest` already held the verified file and nothing was fetched. */
  reused: boolean;
}

/** A failure worth another attempt (dropped connection, timeout, 5xx). */
class Retryable extends Error {}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const defaultFreeSpace = async (dir: string) => (await diskSpace(dir))?.freeBytes ?? null;

function parseContentRange(header: string | null): { start: number; total: number | null } | null {
  const match = header ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(header.trim()) : null;
  if (!match) return null;
  return { start: Number(match[1]), total: match[3] === "*" ? null : Number(match[3]) };
}

class Download {
  private offset = 0;
  private resumedFrom = 0;
  private hash: Hash = createHash("sha256");
  private total: number | null;
  private readonly partial: string;

  constructor(private readonly o: DownloadOptions) {
    this.partial = `${o.dest}.partial`;
    this.total = o.expectedSize ?? null;
  }

  async run(): Promise<DownloadResult> {
    const o = this.o;
    if (!/^https?:\/\//i.test(o.url))
      throw new HostError(NodeErrors.DOWNLOAD_INVALID_URL, `Refusing to download from ${o.url}: only http(s) URLs are allowed.`);
    await mkdir(dirname(o.dest), { recursive: true });
    if (o.expectedSha256 && (await this.alreadyInPlace())) {
      const size = (await sizeOf(o.dest)) ?? 0;
      return { path: o.dest, size, sha256: o.expectedSha256.toLowerCase(), resumedFrom: size, attempts: 0, reused: true };
    }
    await this.adoptPartial();
    this.resumedFrom = this.offset;
    const attempts = await this.fetchAll();
    return { ...(await this.verifyAndPlace()), resumedFrom: this.resumedFrom, attempts, reused: false };
  }

  private async alreadyInPlace(): Promise<boolean> {
    const size = await sizeOf(this.o.dest);
    if (size === null || (this.o.expectedSize != null && size !== this.o.expectedSize)) return false;
    return (await sha256File(this.o.dest)).sha256 === this.o.expectedSha256!.toLowerCase();
  }

  /** Continues from an earlier `.partial` of the same file, re-hashing its bytes; drops one that cannot be a prefix. */
  private async adoptPartial(): Promise<void> {
    const o = this.o;
    const wanted = { url: o.url, expectedSha256: o.expectedSha256 ?? null, expectedSize: o.expectedSize ?? null };
    const size = await sizeOf(this.partial);
    if (size !== null && size > 0 && (this.total === null || size <= this.total) && partialMatches(await readPartialNote(o.dest), wanted)) {
      this.offset = await hashFileInto(this.partial, this.hash);
      o.logger?.info("resuming download", { url: o.url, from: this.offset });
    } else {
      await removePartial(o.dest);
    }
    await writePartialNote(o.dest, wanted);
  }

  private async restart(): Promise<void> {
    await rm(this.partial, { force: true }); // the note stays: it still describes the download in progress
    this.offset = this.resumedFrom = 0;
    this.hash = createHash("sha256");
  }

  private async fetchAll(): Promise<number> {
    const o = this.o;
    const retries = o.retries ?? 5;
    let attempts = 0;
    for (;;) {
      if (this.total !== null && this.offset === this.total) return attempts;
      attempts += 1;
      try {
        if (await this.fetchOnce()) return attempts;
        throw new Retryable(`the connection closed after ${formatBytes(this.offset)}`);
      } catch (error) {
        if (o.signal?.aborted) throw error;
        if (isDiskFull(error)) await this.failDiskFull(error);
        if (error instanceof HostError) throw error;
        if (isFileSystemError(error)) {
          throw new HostError(CoreErrors.DISK_WRITE, `Could not write ${this.partial}: ${(error as Error).message}`, { cause: error });
        }
        // Anything else came from the network (reset, timeout, premature close): worth another attempt.
        if (attempts > retries) {
          throw new HostError(NodeErrors.DOWNLOAD_FAILED, `Download of ${o.url} failed after ${attempts} attempts: ${(error as Error).message}`, {
            cause: error,
            details: { received: this.offset, total: this.total },
          });
        }
        const delay = Math.min(30_000, (o.retryDelayMs ?? 1000) * 2 ** (attempts - 1));
        o.logger?.warn("download interrupted, retrying", { url: o.url, attempt: attempts, received: this.offset, error: (error as Error).message });
        await (o.sleep ?? defaultSleep)(delay);
      }
    }
  }

  /** One request; true when the whole file is on disk afterwards. */
  private async fetchOnce(): Promise<boolean> {
    const o = this.o;
    const headers: Record<string, string> = { "accept-encoding": "identity" };
    if (this.offset > 0) headers.range = `bytes=${this.offset}-`;
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const controller = new AbortController();
    const idleMs = o.idleTimeoutMs ?? 60_000;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(new Retryable(`no data for ${Math.round(idleMs / 1000)} s`)), idleMs);
    };
    const onAbort = () => controller.abort(o.signal?.reason);
    o.signal?.addEventListener("abort", onAbort, { once: true });
    touch();
    let response: Response | undefined;
    try {
      response = await o.fetch(o.url, { headers, signal: controller.signal, redirect: "follow" });
      const mode = await this.acceptResponse(response);
      const sink = await (o.openSink ?? openFileSink)(this.partial, mode);
      try {
        await this.pump(response, sink, touch);
      } finally {
        await sink.close();
      }
      return this.total === null || this.offset >= this.total;
    } catch (error) {
      if (response && !response.bodyUsed) await response.body?.cancel().catch(() => {});
      throw controller.signal.reason instanceof Retryable ? controller.signal.reason : error;
    } finally {
      clearTimeout(idle);
      o.signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Checks the status, learns the total size, and says whether the body appends to the partial or replaces it. */
  private async acceptResponse(response: Response): Promise<"append" | "truncate"> {
    const o = this.o;
    const status = response.status;
    if (status === 401 || status === 403) {
      throw new HostError(
        NodeErrors.DOWNLOAD_UNAUTHORIZED,
        `${o.url} answered HTTP ${status}: ${o.token ? "the access token was refused" : "an access token is needed"}.`,
      );
    }
    if (status === 404 || status === 410) throw new HostError(NodeErrors.DOWNLOAD_NOT_FOUND, `${o.url} answered HTTP ${status}: no such file.`);
    if (status === 416) {
      // The partial is as long as (or longer than) the file: it cannot be trusted, start over.
      await this.restart();
      throw new Retryable("the server rejected the resume range");
    }
    if (status === 408 || status === 429 || status >= 500) throw new Retryable(`HTTP ${status}`);
    let mode: "append" | "truncate";
    let serverTotal: number | null;
    if (status === 206) {
      const range = parseContentRange(response.headers.get("content-range"));
      if (!range || range.start !== this.offset) {
        await this.restart();
        throw new Retryable("the server answered a different range than asked");
      }
      serverTotal = range.total;
      mode = "append";
    } else if (status === 200) {
      // Either a fresh download, or a server that ignores Range and sends everything: start over from byte 0.
      if (this.offset > 0) {
        o.logger?.info("server ignored the Range request; restarting the download", { url: o.url });
        this.offset = this.resumedFrom = 0;
        this.hash = createHash("sha256");
      }
      const length = response.headers.get("content-length");
      serverTotal = length !== null && /^\d+$/.test(length) ? Number(length) : null;
      mode = "truncate";
    } else {
      throw new HostError(NodeErrors.DOWNLOAD_FAILED, `${o.url} answered HTTP ${status}.`);
    }
    if (serverTotal !== null && o.expectedSize != null && serverTotal !== o.expectedSize) {
      await removePartial(o.dest);
      throw new HostError(NodeErrors.SIZE_MISMATCH, `The server's file is ${serverTotal} bytes; the published size is ${o.expectedSize} bytes.`, {
        details: { url: o.url, expected: o.expectedSize, actual: serverTotal },
      });
    }
    if (serverTotal !== null) this.total = serverTotal;
    await this.checkFreeSpace();
    return mode;
  }

  private async checkFreeSpace(): Promise<void> {
    if (this.total === null) return;
    const needed = this.total - this.offset;
    const free = await (this.o.freeSpace ?? defaultFreeSpace)(dirname(this.o.dest));
    if (free !== null && free < needed) {
      throw new HostError(NodeErrors.DISK_FULL, `Not enough disk space for ${this.o.dest}: ${formatBytes(needed)} needed, ${formatBytes(free)} free.`, {
        details: { neededBytes: needed, freeBytes: free },
      });
    }
  }

  private async pump(response: Response, sink: FileSink, touch: () => void): Promise<void> {
    if (!response.body) return;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      touch();
      if (this.total !== null && this.offset + value.length > this.total) {
        await reader.cancel().catch(() => {});
        await removePartial(this.o.dest);
        throw new HostError(NodeErrors.SIZE_MISMATCH, `The server sent more than the expected ${this.total} bytes for ${this.o.url}.`);
      }
      await sink.write(value);
      // Hash only what reached the disk, so the hash and the partial file always describe the same bytes.
      this.hash.update(value);
      this.offset += value.length;
      this.o.onProgress?.({ received: this.offset, total: this.total, resumedFrom: this.resumedFrom });
    }
  }

  private async failDiskFull(error: unknown): Promise<never> {
    // The partial would keep holding the space the user needs to free; a later run starts clean.
    await removePartial(this.o.dest).catch(() => {});
    throw new HostError(
      NodeErrors.DISK_FULL,
      `The disk filled up while writing ${this.o.dest} (${formatBytes(this.offset)} written); the partial file was removed.`,
      {
        cause: error,
      },
    );
  }

  private async verifyAndPlace(): Promise<{ path: string; size: number; sha256: string }> {
    const o = this.o;
    const sha256 = this.hash.digest("hex");
    if (o.expectedSize != null && this.offset !== o.expectedSize) {
      await removePartial(o.dest);
      throw new HostError(
        NodeErrors.SIZE_MISMATCH,
        `Downloaded ${this.offset} bytes from ${o.url}; expected ${o.expectedSize}. The partial file was deleted.`,
        {
          details: { expected: o.expectedSize, actual: this.offset },
        },
      );
    }
    if (o.expectedSha256 && sha256 !== o.expectedSha256.toLowerCase()) {
      await removePartial(o.dest);
      throw new HostError(
        NodeErrors.CHECKSUM_MISMATCH,
        `SHA-256 mismatch for ${o.url}: expected ${o.expectedSha256.toLowerCase()}, got ${sha256}. The downloaded file was deleted.`,
        {
          details: { expected: o.expectedSha256.toLowerCase(), actual: sha256 },
        },
      );
    }
    await rename(this.partial, o.dest);
    await removePartial(o.dest, { keepData: true });
    return { path: o.dest, size: this.offset, sha256 };
  }
}

export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  return new Download(options).run();
}
