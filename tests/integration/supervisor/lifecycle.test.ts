import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { HostError } from "../../../src/errors/host-error.ts";
import { SupervisorErrors } from "../../../src/errors/codes/supervisor.ts";
import { probeHealth } from "../../../src/node/supervisor/health.ts";
import { groupMembers, makeHostDir, makeSupervisor, killGroup, STUBBORN_NODE, waitFor, type HostDir, type TestSupervisor } from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: Parameters<typeof makeHostDir>[0] = {}, settings = {}): Promise<{ dir: HostDir } & TestSupervisor> {
  const dir = await makeHostDir(options);
  const made = makeSupervisor(dir, settings);
  cleanups.push(() => dir.cleanup());
  cleanups.push(async () => {
    const pgid = made.supervisor.status().pgid;
    await made.supervisor.stop(500).catch(() => {});
    killGroup(pgid);
  });
  return { dir, ...made };
}

async function startError(supervisor: TestSupervisor["supervisor"]): Promise<HostError> {
  try {
    await supervisor.start();
  } catch (error) {
    expect(error).toBeInstanceOf(HostError);
    return error as HostError;
  }
  throw new Error("start() should have failed");
}

describe("supervisor start", () => {
  test("is ready only after the model lines and /health answering; nothing answers while the model loads", async () => {
    const { dir, supervisor, events } = await setup({ extraEnv: { SIM_STARTUP_DELAY_MS: "1200" } });
    const starting = supervisor.start();
    // While the model loads, the real node has not bound its API port yet (fabstir-llm-node@85a87b8 src/main.rs:251-357).
    const logged = (text: string) => {
      try {
        return readFileSync(supervisor.logFile.path, "utf8").includes(text);
      } catch {
        return false;
      }
    };
    await waitFor(() => logged("📦 Loading model"), 5_000, "the node to load its model");
    expect((await probeHealth(fetch, `http://127.0.0.1:${dir.port}`, 300)).status).toBe("unreachable");
    expect(supervisor.status().state).toBe("starting");
    expect(events.some((e) => e.name === "ready")).toBe(false);

    const status = await starting;
    expect(status.state).toBe("running");
    expect(status.port).toBe(dir.port);
    expect(status.pgid).toBe(status.pid!);
    // A running real node says "degraded" for the P2P node it never has, for its whole life (src/api/server.rs:1505-1534):
    // that is normal, and the supervisor says so.
    expect(await probeHealth(fetch, `http://127.0.0.1:${dir.port}`, 1000)).toEqual({ status: "degraded", issues: ["No P2P node available"], p2pOnly: true });
    const ready = events.find((e) => e.name === "ready")!;
    expect(ready.payload.startupMs).toBeGreaterThanOrEqual(1200);

    // The node's output went to node.log, with the readiness lines.
    const log = readFileSync(supervisor.logFile.path, "utf8");
    expect(log).toContain("✅ Model loaded successfully");
    expect(log).toContain("🎉 Fabstir LLM Node is running");
  }, 15_000);

  test("a node that exits at start fails start() with its last lines", async () => {
    const { supervisor } = await setup({ extraEnv: { SIM_FAIL_START: "1" } });
    const error = await startError(supervisor);
    expect(error.code).toBe(SupervisorErrors.NODE_START_FAILED.code);
    expect(error.message).toContain("exited with code 1");
    expect(error.message).toContain("CUDA error: out of memory");
    expect((error.details?.lastLines as string[] | undefined)?.length ?? 0).toBeGreaterThan(0);
    expect(supervisor.status().state).toBe("stopped");
  }, 15_000);

  test("a node too slow to load times out, is stopped, and says what it was waiting for", async () => {
    const { supervisor, events, logger } = await setup({ extraEnv: { SIM_STARTUP_DELAY_MS: "60000" } }, { startupTimeoutMs: 1_500 });
    const error = await startError(supervisor);
    expect(error.code).toBe(SupervisorErrors.NODE_START_TIMEOUT.code);
    expect(error.message).toContain("waiting for the model to load");
    expect(error.message).toContain("📦 Loading model");
    expect(events.some((e) => e.name === "ready")).toBe(false);
    // The slow node was not left behind.
    const pid = Number(/Node started \{"pid":(\d+)/.exec(logger.lines.join("\n"))?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(groupMembers(pid)).toEqual([]);
  }, 15_000);

  test("a missing binary is reported as such", async () => {
    const { dir } = await setup();
    const { supervisor } = makeSupervisor(dir, {}, { binaryPath: `${dir.root}/no-such-node` });
    const error = await startError(supervisor);
    expect(error.code).toBe(SupervisorErrors.NODE_SPAWN_FAILED.code);
    expect(error.message).toContain("does not exist");
  }, 15_000);

  test("a port already in use is reported before spawning", async () => {
    const { dir, supervisor } = await setup();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen({ port: dir.port, host: "127.0.0.1" }, () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const error = await startError(supervisor);
    expect(error.code).toBe(SupervisorErrors.NODE_PORT_IN_USE.code);
    expect(error.message).toContain(String(dir.port));
  }, 15_000);
});

describe("supervisor stop", () => {
  test("SIGINT stops the node gracefully and leaves no group member", async () => {
    const { supervisor } = await setup();
    const { pgid } = await supervisor.start();
    const lines: string[] = [];
    supervisor.on("exit", (e) => lines.push(...e.lastLines));
    await supervisor.stop();
    expect(groupMembers(pgid!)).toEqual([]);
    expect(supervisor.status().state).toBe("stopped");
    // The node's own shutdown lines (fabstir-llm-node@85a87b8 src/main.rs:687, 693).
    expect(readFileSync(supervisor.logFile.path, "utf8")).toContain("⏹️  Shutting down... (SIGINT)");
  }, 15_000);

  test("a node that ignores SIGINT is killed after the timeout", async () => {
    const { supervisor, logger } = await setup({ nodeScript: STUBBORN_NODE });
    const { pgid } = await supervisor.start();
    const began = Date.now();
    await supervisor.stop(700);
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(650);
    expect(took).toBeLessThan(5_000);
    expect(groupMembers(pgid!)).toEqual([]);
    expect(readFileSync(supervisor.logFile.path, "utf8")).toContain("ignoring SIGINT");
    expect(logger.lines.join("\n")).toContain("ignored SIGINT and was killed");
  }, 15_000);
});
