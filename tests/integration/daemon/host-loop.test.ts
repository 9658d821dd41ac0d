import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { runHost, type HostDeps, type HostRunResult } from "../../../src/daemon/host-loop.ts";
import type { HostComponent, HostRuntime } from "../../../src/daemon/components.ts";
import { ManualSignals } from "../../../src/daemon/signals.ts";
import { pidFilePath, readDaemonState } from "../../../src/daemon/pid-file.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { makeTestContext } from "../../helpers/context.ts";
import { FAST, isProcessAlive, killGroup, makeHostDir, memoryLogger, TEST_NETWORK, waitFor, type HostDir } from "../supervisor/helpers.ts";
import { SupervisorErrors } from "../../../src/errors/codes/index.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  dir: HostDir;
  signals: ManualSignals;
  logger: ReturnType<typeof memoryLogger>;
  calls: string[];
  run: Promise<HostRunResult>;
  ready: Promise<void>;
}

function component(name: string, calls: string[], extra: Partial<HostComponent> = {}): HostComponent {
  return {
    name,
    start: async (host: HostRuntime) => {
      calls.push(`start ${name} ${host.nodeUrl() ? "node-up" : "node-down"}`);
    },
    stop: async () => {
      calls.push(`stop ${name}`);
    },
    ...extra,
  };
}

async function startHost(deps: Partial<HostDeps> = {}, extraEnv: Record<string, string> = {}): Promise<Harness> {
  const dir = await makeHostDir({ extraEnv });
  const signals = new ManualSignals();
  const logger = memoryLogger();
  const calls: string[] = [];
  const context = makeTestContext({ paths: dir.paths });
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const run = runHost(context, {
    config: dir.config(),
    mode: "foreground",
    node: { binaryPath: dir.binaryPath, modelPath: dir.modelPath, network: TEST_NETWORK },
    signals,
    logger,
    supervisorSettings: FAST,
    onReady: () => markReady(),
    ...deps,
  });
  cleanups.push(() => dir.cleanup());
  cleanups.push(async () => {
    signals.fire("SIGTERM");
    signals.fire("SIGTERM");
    await run.catch(() => {});
    const state = readDaemonState(dir.paths);
    if (state.status !== "not-running") killGroup(state.record?.node?.pgid);
  });
  return { dir, signals, logger, calls, run, ready };
}

describe("runHost", () => {
  test("starts components after the node, drains on SIGTERM, stops them in reverse, then the node", async () => {
    const calls: string[] = [];
    const deadlines: number[] = [];
    const h = await startHost({
      components: [
        component("front", calls),
        component("proofs", calls, {
          drain: async (deadline) => {
            deadlines.push(deadline);
            calls.push("drain proofs");
          },
        }),
      ],
      drainTimeoutMs: 5_000,
    });
    await h.ready;
    expect(calls).toEqual(["start front node-up", "start proofs node-up"]);
    const record = readDaemonState(h.dir.paths);
    expect(record.status).toBe("running");
    const nodePid = record.status === "running" ? record.record.node!.pid : 0;
    expect(isProcessAlive(nodePid)).toBe(true);

    const began = Date.now();
    h.signals.fire("SIGTERM");
    expect(await h.run).toEqual({ exitCode: 0, reason: "SIGTERM" });
    expect(calls).toEqual(["start front node-up", "start proofs node-up", "drain proofs", "stop proofs", "stop front"]);
    expect(deadlines[0]! - began).toBeGreaterThan(4_000);
    expect(isProcessAlive(nodePid)).toBe(false);
    expect(existsSync(pidFilePath(h.dir.paths))).toBe(false);
  }, 15_000);

  test("a drain hook that overruns its deadline does not hold the stop; a second signal skips the wait", async () => {
    const calls: string[] = [];
    let runtime: HostRuntime | undefined;
    const h = await startHost({
      components: [{ ...component("proofs", calls), start: async (host) => void (runtime = host) }],
      drainTimeoutMs: 400,
    });
    await h.ready;
    runtime!.onDrain(() => new Promise(() => {})); // never finishes
    let began = Date.now();
    h.signals.fire("SIGTERM");
    await h.run;
    expect(Date.now() - began).toBeLessThan(3_000);
    expect(h.logger.lines.some((line) => line.includes("Drain deadline reached"))).toBe(true);

    const h2 = await startHost({ components: [{ ...component("proofs", calls), start: async (host) => void (runtime = host) }], drainTimeoutMs: 60_000 });
    await h2.ready;
    runtime!.onDrain(() => new Promise(() => {}));
    began = Date.now();
    h2.signals.fire("SIGINT");
    await Bun.sleep(100);
    h2.signals.fire("SIGINT");
    expect((await h2.run).reason).toBe("SIGINT");
    expect(Date.now() - began).toBeLessThan(3_000);
  }, 15_000);

  test("SIGHUP reloads the config; an invalid one is refused and the host keeps running on the old", async () => {
    const seen: HostConfig[] = [];
    let next: () => Promise<HostConfig> = async () => {
      throw new Error("config.json is not valid JSON at line 3");
    };
    const h = await startHost({
      components: [component("front", [], { reload: async (config) => void seen.push(config) })],
      reloadConfig: () => next(),
    });
    await h.ready;
    h.signals.fire("SIGHUP");
    await waitFor(() => h.logger.lines.some((line) => line.includes("Config reload failed")), 2_000, "the refused reload");
    expect(h.logger.lines.find((line) => line.includes("Config reload failed"))).toContain("not valid JSON");
    expect(seen).toHaveLength(0);
    expect(readDaemonState(h.dir.paths).status).toBe("running");

    const updated = { ...h.dir.config(), publicUrl: "https://host.example.org" };
    next = async () => updated;
    h.signals.fire("SIGHUP");
    await waitFor(() => seen.length === 1, 2_000, "the reload");
    expect(seen[0]!.publicUrl).toBe("https://host.example.org");
    expect(h.logger.lines.some((line) => line.includes("Configuration reloaded"))).toBe(true);
  }, 15_000);

  test("a stop while the node is still loading aborts the start and cleans up", async () => {
    const h = await startHost({}, { SIM_STARTUP_DELAY_MS: "30000" });
    await waitFor(() => readDaemonState(h.dir.paths).status === "running", 5_000, "the PID file");
    await Bun.sleep(300);
    h.signals.fire("SIGTERM");
    expect(await h.run).toEqual({ exitCode: 0, reason: "stopped-while-starting" });
    expect(existsSync(pidFilePath(h.dir.paths))).toBe(false);
  }, 15_000);

  test("the PID file follows the node: a new pid after a restart, unhealthy with the reason after a crash loop", async () => {
    const h = await startHost({ supervisorSettings: { ...FAST, crashLoop: { maxCrashes: 2, windowMs: 60_000 } } }, { SIM_CRASH_AFTER_MS: "400" });
    await h.ready;
    const first = readDaemonState(h.dir.paths);
    const firstNode = first.status === "running" ? first.record.node!.pid : 0;
    expect(firstNode).toBeGreaterThan(0);
    await waitFor(
      () => {
        const state = readDaemonState(h.dir.paths);
        return state.status === "running" && state.record.state === "unhealthy";
      },
      10_000,
      "the crash loop to reach the PID file",
    );
    const state = readDaemonState(h.dir.paths);
    if (state.status !== "running") throw new Error("host gone");
    expect(state.record.node).toBeNull();
    expect(state.record.unhealthyReason).toContain("failed 2 times");
    expect(h.logger.lines.some((line) => line.includes("Node ready") && !line.includes(`"pid":${firstNode}`))).toBe(true);
  }, 15_000);

  test("a second host for the same directory is refused while the first runs", async () => {
    const h = await startHost();
    await h.ready;
    const context = makeTestContext({ paths: h.dir.paths });
    const second = runHost(context, {
      config: h.dir.config(),
      mode: "daemon",
      node: { binaryPath: h.dir.binaryPath, modelPath: h.dir.modelPath, network: TEST_NETWORK },
      signals: new ManualSignals(),
      logger: memoryLogger(),
    });
    await expect(second).rejects.toMatchObject({ code: SupervisorErrors.DAEMON_ALREADY_RUNNING.code });
    expect(readDaemonState(h.dir.paths).status).toBe("running");
  }, 15_000);
});
