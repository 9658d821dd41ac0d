import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readDaemonState, pidFilePath, type DaemonRecord } from "../../../src/daemon/pid-file.ts";
import { processStartToken } from "../../../src/node/supervisor/process-group.ts";
import { probeHealth } from "../../../src/node/supervisor/health.ts";
import { isProcessAlive, killGroup, makeHostDir, waitFor, type HostDir } from "../supervisor/helpers.ts";
import { cli, MAIN } from "./cli.ts";
import { SupervisorErrors } from "../../../src/errors/codes/index.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A host directory whose daemon (if any) is stopped, and its processes killed, after the test. */
async function hostDir(extraEnv: Record<string, string> = {}): Promise<HostDir> {
  const dir = await makeHostDir({ extraEnv });
  cleanups.push(() => dir.cleanup());
  cleanups.push(async () => {
    const state = readDaemonState(dir.paths);
    if (state.status === "not-running") return;
    const record = state.record;
    if (record && isProcessAlive(record.pid)) process.kill(record.pid, "SIGKILL");
    killGroup(record?.node?.pgid);
  });
  return dir;
}

function writeRecord(dir: HostDir, value: DaemonRecord): void {
  mkdirSync(dir.paths.runDir, { recursive: true });
  writeFileSync(pidFilePath(dir.paths), JSON.stringify(value));
}

function record(dir: HostDir): DaemonRecord {
  return JSON.parse(readFileSync(pidFilePath(dir.paths), "utf8")) as DaemonRecord;
}

/** A PID file's record for a host in `dir`, running, with the given pid and node. */
function daemonRecord(dir: HostDir, fields: Pick<DaemonRecord, "pid" | "processStart" | "node">): DaemonRecord {
  return {
    ...fields,
    started: new Date().toISOString(),
    version: "0.0.0",
    mode: "daemon",
    home: dir.home,
    state: "running",
    unhealthyReason: null,
    ports: { internal: dir.port, api: 8080, p2p: 19000 },
    logs: { host: null, node: "", daemon: null },
  };
}

describe("start --daemon / stop", () => {
  test("detaches, writes the PID file, serves, refuses a second host, and stops cleanly", async () => {
    const dir = await hostDir();
    const started = await cli(["start", "--daemon", "--json", "--config-dir", dir.home]);
    expect(started.code).toBe(0);
    const data = started.json().data;
    expect(data).toMatchObject({ mode: "daemon", nodePort: dir.port });

    const pid = record(dir);
    expect(pid).toMatchObject({ pid: data.pid, mode: "daemon", state: "running", home: dir.home });
    expect(pid.node).toMatchObject({ pid: data.nodePid, pgid: data.nodePid });
    expect(pid.ports.internal).toBe(dir.port);
    // Detached: its own session, no terminal.
    const stat = readFileSync(`/proc/${data.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    expect(Number(stat[3])).toBe(data.pid); // session id
    expect(stat[4]).toBe("0"); // tty_nr
    expect((await probeHealth(fetch, `http://127.0.0.1:${dir.port}`, 1000)).p2pOnly).toBe(true); // a running node: degraded for the P2P node alone

    const second = await cli(["start", "--daemon", "--json", "--config-dir", dir.home]);
    expect(second.code).toBe(1);
    expect(second.json().error.code).toBe(SupervisorErrors.DAEMON_ALREADY_RUNNING.code);
    const foreground = await cli(["start", "--config-dir", dir.home]);
    expect(foreground.code).toBe(1);
    expect(foreground.stderr).toContain("error FH0470");
    expect(foreground.stderr).toContain(`pid ${data.pid}`);

    const stopped = await cli(["stop", "--json", "--config-dir", dir.home]);
    expect(stopped.code).toBe(0);
    expect(stopped.json().data).toMatchObject({ found: "running", pid: data.pid, forced: false });
    await waitFor(() => !isProcessAlive(data.pid) && !isProcessAlive(data.nodePid), 5_000, "daemon and node to exit");
    expect(existsSync(pidFilePath(dir.paths))).toBe(false);
    expect(readFileSync(join(dir.paths.logsDir, "supervisor.log"), "utf8")).toContain("SIGTERM received");

    const again = await cli(["stop", "--config-dir", dir.home]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No host is running.");
  }, 20_000);

  test("restart replaces the daemon and its node", async () => {
    const dir = await hostDir();
    const first = (await cli(["start", "--daemon", "--json", "--config-dir", dir.home])).json().data;
    const restarted = await cli(["restart", "--json", "--config-dir", dir.home]);
    expect(restarted.code).toBe(0);
    const data = restarted.json().data;
    expect(data.stopped).toMatchObject({ found: "running", pid: first.pid });
    expect(data.started.pid).not.toBe(first.pid);
    expect(data.started.nodePid).not.toBe(first.nodePid);
    expect(isProcessAlive(first.pid)).toBe(false);
    expect(isProcessAlive(first.nodePid)).toBe(false);
    expect(record(dir).pid).toBe(data.started.pid);
    expect((await cli(["stop", "--config-dir", dir.home])).code).toBe(0);
  }, 20_000);

  test("a node that cannot start fails `start --daemon` with its last lines and leaves nothing behind", async () => {
    const dir = await hostDir({ SIM_FAIL_START: "1" });
    const run = await cli(["start", "--daemon", "--config-dir", dir.home]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error FH0451");
    expect(run.stderr).toContain("CUDA error: out of memory");
    expect(existsSync(pidFilePath(dir.paths))).toBe(false);
  }, 20_000);
});

describe("stale PID files", () => {
  test("kill -9 of the daemon: its node is stopped, and `stop` cleans up the stale PID file", async () => {
    const dir = await hostDir();
    const data = (await cli(["start", "--daemon", "--json", "--config-dir", dir.home])).json().data;
    process.kill(data.pid, "SIGKILL");
    await waitFor(() => !isProcessAlive(data.nodePid), 5_000, "the watchdog to stop the node");
    expect(readDaemonState(dir.paths)).toMatchObject({ status: "stale", orphanNode: false });

    const stopped = await cli(["stop", "--json", "--config-dir", dir.home]);
    expect(stopped.code).toBe(0);
    expect(stopped.json().data).toMatchObject({ found: "stale", pid: data.pid, orphanNodePid: null });
    expect(existsSync(pidFilePath(dir.paths))).toBe(false);
  }, 20_000);

  test("a node left running by a dead host is stopped by the next `stop`", async () => {
    const dir = await hostDir();
    // Play a host that died without its watchdog: a lone node in its own group, and its PID file.
    const node = Bun.spawn([dir.binaryPath], {
      env: { PATH: process.env.PATH!, MODEL_PATH: dir.modelPath, API_PORT: String(dir.port) },
      stdout: "ignore",
      stderr: "ignore",
      detached: true,
    });
    cleanups.push(() => killGroup(node.pid));
    await waitFor(async () => (await probeHealth(fetch, `http://127.0.0.1:${dir.port}`, 300)).p2pOnly, 10_000, "the lone node");
    const dead = Bun.spawn(["true"]);
    await dead.exited;
    const stale: DaemonRecord = daemonRecord(dir, {
      pid: dead.pid,
      processStart: null,
      node: { pid: node.pid, pgid: node.pid, processStart: processStartToken(node.pid) ?? null },
    });
    writeRecord(dir, stale);
    expect(readDaemonState(dir.paths)).toMatchObject({ status: "stale", orphanNode: true });

    const stopped = await cli(["stop", "--json", "--config-dir", dir.home]);
    expect(stopped.json().data).toMatchObject({ found: "stale", orphanNodePid: node.pid });
    await node.exited;
    expect(isProcessAlive(node.pid)).toBe(false);
  }, 20_000);

  test("a PID file naming a pid now used by another program does not block a start", async () => {
    const dir = await hostDir();
    const other: DaemonRecord = daemonRecord(dir, { pid: process.pid, processStart: "1", node: null });
    writeRecord(dir, other);
    expect(readDaemonState(dir.paths)).toMatchObject({ status: "stale", reason: `pid ${process.pid} now belongs to another program` });
    const started = await cli(["start", "--daemon", "--json", "--config-dir", dir.home]);
    expect(started.code).toBe(0);
    expect(record(dir).pid).toBe(started.json().data.pid);
    expect((await cli(["stop", "--config-dir", dir.home])).code).toBe(0);
  }, 20_000);
});

describe("stop escalation", () => {
  test("a host that ignores SIGTERM is killed after --timeout, and its node with it", async () => {
    const dir = await hostDir();
    const node = Bun.spawn([dir.binaryPath], {
      env: { PATH: process.env.PATH!, MODEL_PATH: dir.modelPath, API_PORT: String(dir.port) },
      stdout: "ignore",
      stderr: "ignore",
      detached: true,
    });
    cleanups.push(() => killGroup(node.pid));
    const wedged = Bun.spawn(["sh", "-c", 'trap "" TERM; while true; do sleep 0.1; done'], { stdout: "ignore", detached: true });
    cleanups.push(() => killGroup(wedged.pid));
    await waitFor(async () => (await probeHealth(fetch, `http://127.0.0.1:${dir.port}`, 300)).p2pOnly, 10_000, "the node");
    writeRecord(
      dir,
      daemonRecord(dir, {
        pid: wedged.pid,
        processStart: processStartToken(wedged.pid) ?? null,
        node: { pid: node.pid, pgid: node.pid, processStart: processStartToken(node.pid) ?? null },
      }),
    );
    const began = Date.now();
    const stopped = await cli(["stop", "--json", "--timeout", "1", "--config-dir", dir.home]);
    expect(stopped.json().data).toMatchObject({ found: "running", pid: wedged.pid, forced: true, orphanNodePid: node.pid });
    expect(Date.now() - began).toBeLessThan(8_000);
    await wedged.exited;
    await node.exited;
    expect(existsSync(pidFilePath(dir.paths))).toBe(false);
  }, 20_000);
});

describe("signals", () => {
  test("SIGHUP with a broken config keeps the daemon running on the old one", async () => {
    const dir = await hostDir();
    const data = (await cli(["start", "--daemon", "--json", "--config-dir", dir.home])).json().data;
    const hostLog = join(dir.paths.logsDir, "supervisor.log");
    writeFileSync(join(dir.home, "config.json"), "{ not json");
    process.kill(data.pid, "SIGHUP");
    await waitFor(() => existsSync(hostLog) && readFileSync(hostLog, "utf8").includes("Config reload failed"), 5_000, "the refused reload");
    expect(isProcessAlive(data.pid)).toBe(true);
    expect(isProcessAlive(data.nodePid)).toBe(true);
    expect((await probeHealth(fetch, `http://127.0.0.1:${dir.port}`, 1000)).p2pOnly).toBe(true); // a running node: degraded for the P2P node alone

    dir.writeConfig(dir.raw);
    process.kill(data.pid, "SIGHUP");
    await waitFor(() => readFileSync(hostLog, "utf8").includes("Configuration reloaded"), 5_000, "the reload");
    expect((await cli(["stop", "--config-dir", dir.home])).code).toBe(0);
  }, 20_000);

  test("SIGHUP applies a new log level and alert settings live, and names what waits for a restart", async () => {
    const dir = await hostDir();
    const data = (await cli(["start", "--daemon", "--json", "--config-dir", dir.home])).json().data;
    const hostLog = join(dir.paths.logsDir, "supervisor.log");
    dir.writeConfig({
      ...dir.raw,
      logging: { level: "debug" },
      alerts: { webhookUrl: "http://127.0.0.1:9/T000/secret-token", format: "slack" },
      metrics: { enabled: true, listen: "127.0.0.1:0" },
    });
    process.kill(data.pid, "SIGHUP");
    await waitFor(() => existsSync(hostLog) && readFileSync(hostLog, "utf8").includes("Configuration reloaded"), 5_000, "the reload");
    const log = readFileSync(hostLog, "utf8");
    expect(log).toContain("log level changed");
    expect(log).toContain("alert settings changed");
    expect(log).toContain("metrics changed: it takes effect at the next restart");
    expect(log).not.toContain("secret-token");
    expect(isProcessAlive(data.nodePid)).toBe(true);
    expect((await cli(["stop", "--config-dir", dir.home])).code).toBe(0);
  }, 20_000);

  test("a foreground host stops on Ctrl-C (SIGINT): node stopped, PID file removed, exit 0", async () => {
    const dir = await hostDir();
    const proc = Bun.spawn([process.execPath, MAIN, "start", "--config-dir", dir.home], {
      env: { ...(process.env as Record<string, string>), NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    cleanups.push(() => proc.kill("SIGKILL"));
    let stderr = "";
    const reader = proc.stderr.getReader();
    const deadline = Date.now() + 15_000;
    while (!stderr.includes("Press Ctrl-C to stop") && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      stderr += new TextDecoder().decode(value);
    }
    expect(stderr).toContain("Host running: node pid");
    const nodePid = record(dir).node!.pid;
    expect(record(dir).mode).toBe("foreground");
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(0);
    expect(await new Response(proc.stdout).text()).toContain("Host stopped (SIGINT).");
    expect(isProcessAlive(nodePid)).toBe(false);
    expect(existsSync(pidFilePath(dir.paths))).toBe(false);
  }, 20_000);
});
