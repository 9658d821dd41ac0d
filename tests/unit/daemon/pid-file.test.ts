import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathsFor, type Paths } from "../../../src/config/paths.ts";
import { acquireHostLock, pidFilePath, readDaemonState, withRunLock, type DaemonRecord } from "../../../src/daemon/pid-file.ts";
import { processStartToken } from "../../../src/node/supervisor/process-group.ts";
import { SupervisorErrors } from "../../../src/errors/codes/index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function paths(): Paths {
  const root = mkdtempSync(join(tmpdir(), "fabstir-pid-"));
  dirs.push(root);
  return pathsFor(root);
}

const initial = (p: Paths): Omit<DaemonRecord, "pid" | "processStart"> => ({
  started: "2026-07-01T00:00:00.000Z",
  version: "1.0.0",
  mode: "daemon",
  home: p.home,
  state: "starting",
  unhealthyReason: null,
  node: null,
  ports: { internal: 8081, api: 8080, p2p: 9000 },
  logs: { host: null, node: join(p.logsDir, "node.log"), daemon: null },
});

function write(p: Paths, record: Partial<DaemonRecord> | string): void {
  mkdirSync(p.runDir, { recursive: true });
  writeFileSync(pidFilePath(p), typeof record === "string" ? record : JSON.stringify({ ...initial(p), ...record }));
}

describe("PID file", () => {
  test("claim, update, read, release", async () => {
    const p = paths();
    expect(readDaemonState(p)).toEqual({ status: "not-running" });
    const lock = await acquireHostLock(p, initial(p));
    const state = readDaemonState(p);
    expect(state.status).toBe("running");
    if (state.status === "running") expect(state.record).toMatchObject({ pid: process.pid, processStart: processStartToken(process.pid)!, state: "starting" });
    lock.update({ state: "running", node: { pid: 42, pgid: 42, processStart: null } });
    expect(JSON.parse(readFileSync(pidFilePath(p), "utf8"))).toMatchObject({ state: "running", node: { pid: 42 } });
    // Written atomically (no temp file left behind) and private.
    expect(statSync(pidFilePath(p)).mode & 0o777).toBe(0o600);
    expect(readdirSync(p.runDir).sort()).toEqual(["host.pid"]);
    lock.release();
    expect(existsSync(pidFilePath(p))).toBe(false);
  });

  test("a live host is not displaced", async () => {
    const p = paths();
    const sleeper = Bun.spawn(["sleep", "5"]);
    try {
      write(p, { pid: sleeper.pid, processStart: processStartToken(sleeper.pid) ?? null });
      await expect(acquireHostLock(p, initial(p))).rejects.toMatchObject({ code: SupervisorErrors.DAEMON_ALREADY_RUNNING.code });
      expect(JSON.parse(readFileSync(pidFilePath(p), "utf8")).pid).toBe(sleeper.pid);
    } finally {
      sleeper.kill();
    }
  });

  test("stale records: a dead pid, a reused pid, an unreadable file", async () => {
    const p = paths();
    const dead = Bun.spawn(["true"]);
    await dead.exited;
    write(p, { pid: dead.pid });
    expect(readDaemonState(p)).toMatchObject({ status: "stale", reason: `process ${dead.pid} is not running`, orphanNode: false });

    write(p, { pid: process.pid, processStart: "not-our-start-time" });
    expect(readDaemonState(p)).toMatchObject({ status: "stale", reason: `pid ${process.pid} now belongs to another program` });

    write(p, "{ half-writ");
    expect(readDaemonState(p)).toMatchObject({ status: "stale", record: null, reason: "the PID file is unreadable" });

    const seen: string[] = [];
    const lock = await acquireHostLock(p, initial(p), async (stale) => void seen.push(stale.reason));
    expect(seen).toEqual(["the PID file is unreadable"]);
    expect(readDaemonState(p).status).toBe("running");
    lock.release();
  });

  test("release leaves a record that belongs to someone else", async () => {
    const p = paths();
    const lock = await acquireHostLock(p, initial(p));
    write(p, { pid: 1, processStart: null });
    lock.release();
    expect(existsSync(pidFilePath(p))).toBe(true);
  });

  test("the run lock serializes claims and breaks a lock left by a dead process", async () => {
    const p = paths();
    mkdirSync(p.runDir, { recursive: true });
    const dead = Bun.spawn(["true"]);
    await dead.exited;
    writeFileSync(join(p.runDir, "host.lock"), JSON.stringify({ pid: dead.pid, at: Date.now() }));
    expect(await withRunLock(p, () => "got it")).toBe("got it");
    expect(existsSync(join(p.runDir, "host.lock"))).toBe(false);

    // Two claims at once: exactly one wins.
    const results = await Promise.allSettled([acquireHostLock(p, initial(p)), acquireHostLock(p, initial(p))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([
      SupervisorErrors.DAEMON_ALREADY_RUNNING.code,
    ]);
  });

  test("an old lock file from a live process is broken after 30 s", async () => {
    const p = paths();
    mkdirSync(p.runDir, { recursive: true });
    const lockFile = join(p.runDir, "host.lock");
    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, at: 0 }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockFile, old, old);
    expect(await withRunLock(p, () => 1)).toBe(1);
  });
});
