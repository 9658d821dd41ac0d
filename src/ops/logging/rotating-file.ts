/**
 * One component's log file, rotated daily and by size, compressed, and capped in number.
 *
 * Why not a rotating stream library: under bursts (thousands of lines in one tick, as a crash-looping node
 * produces) the stream rotators we tried compressed files while they were still being written, deleted files
 * before compressing them, left uncompressed segments behind, and raised 'error' events that ended the process.
 * Synchronous appends make every one of those cases simple: the file is rotated between two whole lines.
 *
 * Failures never reach the caller. A write that fails (disk full, I/O error) drops the line, reports once through
 * `onProblem`, and the file is tried again after `retryMs`; a file whose directory was deleted is noticed within
 * `checkMs`, the directory is recreated, and writing goes on.
 */
import { mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { openFsLogFile, type LogFileHandle, type OpenLogFile } from "./log-file-handle.ts";
import { activeLogPath, rotatedLogName, utcDay } from "./log-files.ts";
import { compressSegment, nextRotationIndex, pruneSegments, uncompressedSegments } from "./retention.ts";

export type LogProblem = { kind: "write_failed"; error: Error } | { kind: "file_missing" };

export interface RotatingFileOptions {
  logsDir: string;
  component: string;
  maxSizeBytes: number;
  /** Files kept per component, the one being written included. */
  maxFiles: number;
  /** Wall clock deciding which day a line belongs to (the context clock, so tests can cross midnight). */
  now?: () => number;
  /** Monotonic time for retry and check intervals. */
  monotonic?: () => number;
  openFile?: OpenLogFile;
  /** Wait this long after a failed write before touching the disk again. */
  retryMs?: number;
  /** Check at most this often that the file on disk is still the one we write to. */
  checkMs?: number;
  onProblem?: (problem: LogProblem, path: string) => void;
  onRecovery?: (droppedLines: number, path: string) => void;
}

export interface RotatingFileStats {
  failing: boolean;
  writeErrors: number;
  droppedLines: number;
  rotations: number;
  lastError: string | undefined;
}

export class RotatingFile {
  readonly path: string;
  private handle: LogFileHandle | undefined;
  private size = 0;
  private segmentDay: string | undefined;
  private failing = false;
  private retryAt = 0;
  private nextCheck = 0;
  private droppedSinceFailure = 0;
  private swept = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly counters = { writeErrors: 0, droppedLines: 0, rotations: 0, lastError: undefined as string | undefined };
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private readonly openFile: OpenLogFile;

  constructor(private readonly options: RotatingFileOptions) {
    this.path = activeLogPath(options.logsDir, options.component);
    this.now = options.now ?? Date.now;
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.openFile = options.openFile ?? openFsLogFile;
  }

  /** Appends one line (with its newline). False when the line had to be dropped. */
  write(line: string): boolean {
    const t = this.monotonic();
    if (this.failing && t < this.retryAt) {
      this.drop();
      return false;
    }
    try {
      if (!this.handle || this.failing || t >= this.nextCheck) this.ensureOpen(t);
      const bytes = Buffer.byteLength(line, "utf8");
      const today = utcDay(this.now());
      // Only a day moving forward rotates: a clock set back must not split the file again.
      if (this.size > 0 && (this.size + bytes > this.options.maxSizeBytes || (this.segmentDay !== undefined && today > this.segmentDay))) {
        this.rotate();
      }
      this.handle!.write(line);
      this.size += bytes;
      if (this.segmentDay === undefined || today > this.segmentDay) this.segmentDay = today;
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)), t);
      return false;
    }
    if (this.failing) {
      this.failing = false;
      const dropped = this.droppedSinceFailure;
      this.droppedSinceFailure = 0;
      this.options.onRecovery?.(dropped, this.path);
    }
    return true;
  }

  stats(): RotatingFileStats {
    return { failing: this.failing, ...this.counters };
  }

  /** Closes the file and waits for compressions in flight. */
  async close(): Promise<void> {
    this.handle?.close();
    this.handle = undefined;
    await Promise.allSettled([...this.pending]);
  }

  private drop(): void {
    this.counters.droppedLines++;
    this.droppedSinceFailure++;
  }

  private fail(error: Error, t: number): void {
    this.drop();
    this.counters.writeErrors++;
    this.counters.lastError = error.message;
    this.handle?.close();
    this.handle = undefined;
    this.retryAt = t + (this.options.retryMs ?? 5000);
    if (!this.failing) {
      this.failing = true;
      this.options.onProblem?.({ kind: "write_failed", error }, this.path);
    }
  }

  /** Opens the file, or reopens it when it vanished or was replaced; recreates the directory if it was removed. */
  private ensureOpen(t: number): void {
    this.nextCheck = t + (this.options.checkMs ?? 1000);
    if (this.handle) {
      if (this.handle.isCurrent()) {
        this.size = Math.max(this.size, this.handle.size());
        return;
      }
      this.handle.close();
      this.handle = undefined;
      if (!this.existsOnDisk()) this.options.onProblem?.({ kind: "file_missing" }, this.path);
    }
    mkdirSync(this.options.logsDir, { recursive: true, mode: 0o700 });
    this.handle = this.openFile(this.path);
    this.size = this.handle.size();
    // A file left by an earlier run belongs to the day it was last written: rotate it out if that was before today.
    if (this.size > 0) this.segmentDay = utcDay(this.handle.modifiedAt());
    if (!this.swept) {
      this.swept = true;
      this.sweep();
    }
  }

  private existsOnDisk(): boolean {
    try {
      statSync(this.path);
      return true;
    } catch {
      return false;
    }
  }

  private rotate(): void {
    const { logsDir, component } = this.options;
    const date = this.segmentDay ?? utcDay(this.now());
    const target = join(logsDir, rotatedLogName(component, date, nextRotationIndex(logsDir, component, date)));
    this.handle?.close();
    this.handle = undefined;
    try {
      renameSync(this.path, target);
      this.counters.rotations++;
      this.track(compressSegment(target));
    } catch {
      // Could not rename (Windows keeps open files locked; another process rotated first): keep appending.
    }
    this.handle = this.openFile(this.path);
    this.size = this.handle.size();
    this.segmentDay = undefined;
    pruneSegments(logsDir, component, this.options.maxFiles - 1);
  }

  /** Finishes what an earlier process left: compresses stray plain segments and applies retention. */
  private sweep(): void {
    const { logsDir, component } = this.options;
    pruneSegments(logsDir, component, this.options.maxFiles - 1);
    for (const file of uncompressedSegments(logsDir, component)) this.track(compressSegment(file));
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}
