import { afterEach, describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { tailLogs, listLogSources } from "../../../../src/ops/logging/read-logs.ts";
import { parseTimeArg, entryMatches } from "../../../../src/ops/logging/filters.ts";
import { followLogs } from "../../../../src/ops/logging/follow-logs.ts";
import { parseLogLine } from "../../../../src/ops/logging/log-entry.ts";
import type { LogEntry } from "../../../../src/ops/logging/log-entry.ts";
import { isHostError } from "../../../../src/errors/host-error.ts";
import { OpsErrors } from "../../../../src/errors/codes/index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function entry(time: string, component: string, level: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ timestamp: time, level, component, message, ...extra }) + "\n";
}

/** proofs: a compressed segment from July 1, a plain rotated one and the active file; node: active only. */
function fixture(): string {
  const logsDir = join(mkdtempSync(join(tmpdir(), "fabstir-read-")), "logs");
  dirs.push(join(logsDir, ".."));
  mkdirSync(logsDir, { recursive: true });
  writeFileSync(
    join(logsDir, "proofs-2026-07-01.1.log.gz"),
    gzipSync(
      entry("2026-07-01T10:00:00.000Z", "proofs", "info", "old proof", { jobId: "1" }) +
        entry("2026-07-01T11:00:00.000Z", "proofs", "error", "old failure", { jobId: "1" }),
    ),
  );
  writeFileSync(join(logsDir, "proofs-2026-07-02.1.log"), entry("2026-07-02T09:00:00.000Z", "proofs", "warn", "retrying", { jobId: "2", sessionId: "s2" }));
  writeFileSync(
    join(logsDir, "proofs.log"),
    entry("2026-07-02T12:00:00.000Z", "proofs", "info", "proof submitted", { jobId: "2", sessionId: "s2", txHash: "0xfeed" }),
  );
  writeFileSync(
    join(logsDir, "node.log"),
    entry("2026-07-02T11:30:00.000Z", "node", "debug", "token chunk") +
      "plain text from a child process\n" +
      entry("2026-07-02T12:30:00.000Z", "node", "error", "node exited"),
  );
  writeFileSync(join(logsDir, ".proofs-audit.json"), "{}");
  symlinkSync(join(logsDir, "proofs.log"), join(logsDir, "current.log"));
  return logsDir;
}

describe("reading logs", () => {
  test("merges components and rotated files (compressed or not) in time order", () => {
    const logsDir = fixture();
    const all = tailLogs(logsDir, {});
    expect(all.map((e) => e.message)).toEqual([
      "plain text from a child process",
      "old proof",
      "old failure",
      "retrying",
      "token chunk",
      "proof submitted",
      "node exited",
    ]);
    expect([...listLogSources(logsDir).keys()].sort()).toEqual(["node", "proofs"]);
  });

  test("tail keeps the newest lines", () => {
    const logsDir = fixture();
    expect(tailLogs(logsDir, {}, 2).map((e) => e.message)).toEqual(["proof submitted", "node exited"]);
  });

  test("filters: level at or above, component, session, job, time window", () => {
    const logsDir = fixture();
    expect(tailLogs(logsDir, { minLevel: "warn" }).map((e) => e.message)).toEqual(["old failure", "retrying", "node exited"]);
    expect(tailLogs(logsDir, { components: ["node"] }).map((e) => e.component)).toEqual(["node", "node", "node"]);
    expect(tailLogs(logsDir, { sessionId: "s2" }).map((e) => e.message)).toEqual(["retrying", "proof submitted"]);
    expect(tailLogs(logsDir, { jobId: "1" }).map((e) => e.message)).toEqual(["old proof", "old failure"]);
    const since = Date.parse("2026-07-02T10:00:00Z");
    const until = Date.parse("2026-07-02T12:00:00Z");
    expect(tailLogs(logsDir, { since, until }).map((e) => e.message)).toEqual(["token chunk", "proof submitted"]);
  });

  test("relative and ISO times", () => {
    const now = Date.parse("2026-07-02T12:00:00Z");
    expect(parseTimeArg("15m", now, "--since")).toBe(now - 15 * 60_000);
    expect(parseTimeArg("2h", now, "--since")).toBe(now - 2 * 3_600_000);
    expect(parseTimeArg("1d", now, "--since")).toBe(now - 86_400_000);
    expect(parseTimeArg("2026-07-01T00:00:00Z", now, "--since")).toBe(Date.parse("2026-07-01T00:00:00Z"));
    expect(parseTimeArg("2026-07-01", now, "--since")).toBe(Date.parse("2026-07-01"));
    for (const bad of ["yesterday", "15x", "", "07/01/2026"]) {
      try {
        parseTimeArg(bad, now, "--since");
        throw new Error("should have thrown");
      } catch (error) {
        expect(isHostError(error) && error.code).toBe(OpsErrors.LOGS_BAD_TIME.code);
      }
    }
  });

  test("foreign level names are understood; lines without time are hidden by a time filter", () => {
    expect(parseLogLine(JSON.stringify({ level: "WARNING", message: "m" }), "x")!.level).toBe("warn");
    expect(parseLogLine(JSON.stringify({ level: "fatal", message: "m" }), "x")!.level).toBe("error");
    const raw = parseLogLine("just text", "node")!;
    expect(raw).toMatchObject({ level: "info", component: "node", message: "just text" });
    expect(entryMatches(raw, { since: 0 })).toBe(false);
  });

  test("follow prints appended lines, across a rotation, until aborted", async () => {
    const logsDir = fixture();
    const seen: LogEntry[] = [];
    const controller = new AbortController();
    const done = followLogs({ logsDir, filter: { components: ["proofs"] }, signal: controller.signal, pollMs: 10, onEntries: (batch) => seen.push(...batch) });
    await Bun.sleep(40);
    appendFileSync(join(logsDir, "proofs.log"), entry("2026-07-02T13:00:00.000Z", "proofs", "info", "appended"));
    await Bun.sleep(40);
    // Rotation: the writer renames the file and starts a new one; the last line of the old file must still show.
    appendFileSync(join(logsDir, "proofs.log"), entry("2026-07-02T13:00:01.000Z", "proofs", "info", "last before rotation"));
    renameSync(join(logsDir, "proofs.log"), join(logsDir, "proofs-2026-07-02.2.log"));
    writeFileSync(join(logsDir, "proofs.log"), entry("2026-07-02T13:00:02.000Z", "proofs", "info", "first after rotation"));
    appendFileSync(join(logsDir, "node.log"), entry("2026-07-02T13:00:03.000Z", "node", "info", "other component"));
    await Bun.sleep(60);
    controller.abort();
    await done;
    expect(seen.map((e) => e.message)).toEqual(["appended", "last before rotation", "first after rotation"]);
  });

  test("a missing logs directory reads as no lines", () => {
    expect(tailLogs(join(tmpdir(), "fabstir-no-such-dir-" + process.pid), {})).toEqual([]);
  });
});
