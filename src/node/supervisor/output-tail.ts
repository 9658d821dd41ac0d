/**
 * Splits a child's byte stream into lines and keeps the last few, so a failure can show what the node said last.
 */
export class LineSplitter {
  private pending = "";
  private readonly decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array | string): void {
    this.pending += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    let newline = this.pending.indexOf("\n");
    while (newline >= 0) {
      this.onLine(this.pending.slice(0, newline).replace(/\r$/, ""));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf("\n");
    }
    // A node that prints a huge line without a newline must not grow memory without bound.
    if (this.pending.length > 64 * 1024) this.flush();
  }

  /** Emits what is left (the stream ended without a final newline). */
  flush(): void {
    if (this.pending !== "") this.onLine(this.pending);
    this.pending = "";
  }
}

export class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 200) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  last(count = 20): string[] {
    return this.lines.slice(-count);
  }

  clear(): void {
    this.lines.length = 0;
  }
}

/** "  | line" blocks for error messages. */
export function formatTail(lines: string[]): string {
  if (lines.length === 0) return "  (the node printed nothing)";
  return lines.map((line) => `  | ${line}`).join("\n");
}
