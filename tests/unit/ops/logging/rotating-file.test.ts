import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { RotatingFile, type LogProblem } from "../../../../src/ops/logging/rotating-file.ts";
import { openFsLogFile, type LogFileHandle } from "../../../../src/ops/logging/log-file-handle.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fabstir-rot-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const line = (i: number) => JSON.stringify({ i, pad: "x".repeat(80) }) + "\n";

describe("RotatingFile", () => {
  test("rotates by size, compresses rotated segments and keeps at most maxFiles", async () => {
    const logsDir = join(tempDir(), "logs");
    const file = new RotatingFile({ logsDir, component: "proofs", maxSizeBytes: 2048, maxFiles: 3, checkMs: 0 });
    for (let i = 0; i < 500; i++) expect(file.write(line(i))).toBe(true);
    await file.close();
    const names = readdirSync(logsDir).sort();
    expect(names).toContain("proofs.log");
    const rotated = names.filter((name) => name !== "proofs.log");
    expect(rotated.length).toBe(2);
    for (const name of rotated) expect(name).toMatch(/^proofs-\d{4}-\d{2}-\d{2}\.\d+\.log\.gz$/);
    // The newest lines survive, in order, across the compressed segment and the active file.
    const newest = rotated.sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1])).at(-1)!;
    const text = gunzipSync(readFileSync(join(logsDir, newest))).toString() + readFileSync(join(logsDir, "proofs.log"), "utf8");
    const numbers = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).i as number);
    expect(numbers.at(-1)).toBe(499);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(file.stats().rotations).toBeGreaterThan(10);
  });

  test("rotates at the UTC day boundary of the injected clock", async () => {
    const logsDir = tempDir();
    let now = Date.parse("2026-07-01T23:59:00Z");
    const file = new RotatingFile({ logsDir, component: "cli", maxSizeBytes: 1 << 20, maxFiles: 5, now: () => now, checkMs: 0 });
    file.write("before midnight\n");
    now = Date.parse("2026-07-02T00:00:05Z");
    file.write("after midnight\n");
    await file.close();
    expect(readdirSync(logsDir).sort()).toEqual(["cli-2026-07-01.1.log.gz", "cli.log"]);
    expect(gunzipSync(readFileSync(join(logsDir, "cli-2026-07-01.1.log.gz"))).toString()).toBe("before midnight\n");
    expect(readFileSync(join(logsDir, "cli.log"), "utf8")).toBe("after midnight\n");
  });

  test("a clock set back does not rotate again", async () => {
    const logsDir = tempDir();
    let now = Date.parse("2026-07-02T00:00:30Z");
    const file = new RotatingFile({ logsDir, component: "cli", maxSizeBytes: 1 << 20, maxFiles: 5, now: () => now, checkMs: 0 });
    file.write("a\n");
    now = Date.parse("2026-07-01T23:59:50Z");
    file.write("b\n");
    now = Date.parse("2026-07-02T00:00:40Z");
    file.write("c\n");
    await file.close();
    expect(readdirSync(logsDir)).toEqual(["cli.log"]);
    expect(readFileSync(join(logsDir, "cli.log"), "utf8")).toBe("a\nb\nc\n");
  });

  test("disk full: drops lines, reports once, recovers when writes work again", async () => {
    const logsDir = tempDir();
    let full = false;
    const problems: LogProblem[] = [];
    const recoveries: number[] = [];
    const openFile = (path: string): LogFileHandle => {
      const real = openFsLogFile(path);
      return {
        ...real,
        write(text) {
          if (full) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
          real.write(text);
        },
      };
    };
    let clock = 0;
    const file = new RotatingFile({
      logsDir,
      component: "node",
      maxSizeBytes: 1 << 20,
      maxFiles: 2,
      openFile,
      monotonic: () => clock,
      retryMs: 1000,
      onProblem: (p) => problems.push(p),
      onRecovery: (n) => recoveries.push(n),
    });
    expect(file.write("one\n")).toBe(true);
    full = true;
    expect(file.write("two\n")).toBe(false);
    expect(file.write("three\n")).toBe(false);
    clock = 5000;
    expect(file.write("four\n")).toBe(false); // retried, still full
    expect(problems.map((p) => p.kind)).toEqual(["write_failed"]);
    full = false;
    clock = 10_000;
    expect(file.write("five\n")).toBe(true);
    expect(recoveries).toEqual([3]);
    expect(file.stats()).toMatchObject({ failing: false, droppedLines: 3 });
    await file.close();
    expect(readFileSync(join(logsDir, "node.log"), "utf8")).toBe("one\nfive\n");
  });

  test("log directory deleted while running: notices, recreates it, goes on writing", async () => {
    const logsDir = join(tempDir(), "logs");
    const problems: string[] = [];
    const file = new RotatingFile({ logsDir, component: "front", maxSizeBytes: 1 << 20, maxFiles: 2, checkMs: 0, onProblem: (p) => problems.push(p.kind) });
    file.write("first\n");
    rmSync(logsDir, { recursive: true, force: true });
    expect(file.write("second\n")).toBe(true);
    await file.close();
    expect(problems).toEqual(["file_missing"]);
    expect(existsSync(logsDir)).toBe(true);
    expect(readFileSync(join(logsDir, "front.log"), "utf8")).toBe("second\n");
  });

  test("a file left from an earlier day is rotated out under that day's name", async () => {
    const logsDir = tempDir();
    const first = new RotatingFile({ logsDir, component: "chain", maxSizeBytes: 1 << 20, maxFiles: 3, now: () => Date.parse("2026-07-01T10:00:00Z") });
    first.write("old\n");
    await first.close();
    // The next process starts a day later; the file's own mtime says when it was last written.
    const { utimesSync } = await import("node:fs");
    const yesterday = new Date("2026-07-01T10:00:00Z");
    utimesSync(join(logsDir, "chain.log"), yesterday, yesterday);
    const second = new RotatingFile({ logsDir, component: "chain", maxSizeBytes: 1 << 20, maxFiles: 3, now: () => Date.parse("2026-07-02T08:00:00Z") });
    second.write("new\n");
    await second.close();
    expect(readdirSync(logsDir).sort()).toEqual(["chain-2026-07-01.1.log.gz", "chain.log"]);
  });
});
