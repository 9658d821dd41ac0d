/**
 * The node's console output on disk: `<logs>/node.log`, rotated by size to node.log.1 … node.log.<keep-1>.
 * Deliberately plain (lines as the node printed them, after redaction): operators grep it and `logs --node` tails it.
 * Writes are synchronous appends so the last lines before a crash are on disk when the crash is reported.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export interface RotatingLogOptions {
  /** Rotate once the current file reaches this size. */
  maxBytes: number;
  /** Files kept in all, the current one included (at least 1). */
  maxFiles: number;
}

export class RotatingLogFile {
  private fd: number | undefined;
  private size = 0;
  private broken = false;

  constructor(
    readonly path: string,
    private readonly options: RotatingLogOptions,
  ) {}

  /** Appends one line. A full disk or a vanished directory never takes the node down: logging just stops. */
  writeLine(line: string): void {
    if (this.broken) return;
    try {
      this.open();
      const bytes = Buffer.from(line.endsWith("\n") ? line : `${line}\n`, "utf8");
      if (this.size > 0 && this.size + bytes.length > this.options.maxBytes) this.rotate();
      writeSync(this.fd!, bytes);
      this.size += bytes.length;
    } catch {
      this.broken = true;
      this.close();
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = undefined;
  }

  private open(): void {
    if (this.fd !== undefined) return;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.fd = openSync(this.path, "a", 0o600);
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.close();
    const keep = Math.max(1, this.options.maxFiles);
    if (keep === 1) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(`${this.path}.${keep - 1}`, { force: true });
      for (let index = keep - 2; index >= 1; index--) {
        if (existsSync(`${this.path}.${index}`)) renameSync(`${this.path}.${index}`, `${this.path}.${index + 1}`);
      }
      renameSync(this.path, `${this.path}.1`);
    }
    this.open();
  }
}
