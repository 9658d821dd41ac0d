import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { groupMembers, killGroup, makeHostDir, makeSupervisor, waitFor, type HostDir, type TestSupervisor } from "./helpers.ts";
import { SupervisorErrors } from "../../../src/errors/codes/index.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(extraEnv: Record<string, string>, settings = {}): Promise<{ dir: HostDir } & TestSupervisor> {
  const dir = await makeHostDir({ extraEnv });
  const made = makeSupervisor(dir, settings);
  cleanups.push(() => dir.cleanup());
  cleanups.push(async () => {
    const pgid = made.supervisor.status().pgid;
    await made.supervisor.stop(500).catch(() => {});
    killGroup(pgid);
  });
  return { dir, ...made };
}

const named = (events: TestSupervisor["events"], name: string) => events.filter((e) => e.name === name);

describe("supervisor restarts", () => {
  test("a crash is restarted with growing backoff, logged with the exit code and the node's last lines", async () => {
    const { supervisor, events, logger } = await setup(
      { SIM_CRASH_AFTER_MS: "400" },
      { crashLoop: { maxCrashes: 10, windowMs: 60_000 }, backoff: { initialMs: 100, maxMs: 5_000, factor: 3, jitter: 0 } },
    );
    const first = await supervisor.start();
    await waitFor(() => named(events, "ready").length >= 3, 15_000, "two restarts");

    const exits = named(events, "exit");
    expect(exits[0]!.payload).toMatchObject({ pid: first.pid, code: 101, signal: null, expected: false });
    expect(exits[0]!.payload.lastLines.join("\n")).toContain("panicked");

    const restarts = named(events, "restart").map((e) => e.payload);
    expect(restarts.slice(0, 2).map((r) => [r.attempt, r.delayMs, r.reason, r.code])).toEqual([
      [1, 100, "crash", 101],
      [2, 300, "crash", 101],
    ]);
    // The second restart waited for its (longer) backoff after the second exit.
    const secondExit = exits[1]!.at;
    const thirdReady = named(events, "ready")[2]!.at;
    expect(thirdReady - secondExit).toBeGreaterThanOrEqual(300);

    const warning = logger.lines.find((line) => line.startsWith("warn Node crashed (exit code 101)"))!;
    expect(warning).toContain("restarting in 100 ms (attempt 1)");
    expect(warning).toContain("simulated crash after 400 ms");
    expect(supervisor.status().restarts).toBeGreaterThanOrEqual(2);
    expect(supervisor.status().pid).not.toBe(first.pid);
  }, 20_000);

  test("a crash loop stops the retries, marks the host unhealthy and says why", async () => {
    const { supervisor, events, logger } = await setup({ SIM_CRASH_AFTER_MS: "200" }, { crashLoop: { maxCrashes: 3, windowMs: 60_000 } });
    await supervisor.start();
    await waitFor(() => named(events, "crash-loop").length === 1, 15_000, "the crash loop");
    expect(named(events, "restart")).toHaveLength(2);
    const loop = named(events, "crash-loop")[0]!.payload;
    expect(loop.failures).toBe(3);
    expect(loop.reason).toContain("failed 3 times");
    expect(loop.lastLines.join("\n")).toContain("panicked");
    expect(named(events, "unhealthy").at(-1)!.payload.reason).toBe(loop.reason);

    const status = supervisor.status();
    expect(status.state).toBe("failed");
    expect(status.unhealthyReason).toContain("not restarting it again");
    expect(status.pid).toBeUndefined();
    expect(logger.lines.some((line) => line.startsWith("error The node failed 3 times") && line.includes(SupervisorErrors.NODE_CRASH_LOOP.code))).toBe(true);

    // It really stopped trying.
    await Bun.sleep(600);
    expect(named(events, "ready")).toHaveLength(3);
  }, 20_000);

  test("a node that stops answering /health is treated as hung, killed and restarted", async () => {
    const { supervisor, events, logger } = await setup({ SIM_HANG_AFTER_MS: "300" }, { crashLoop: { maxCrashes: 10, windowMs: 60_000 } });
    const first = await supervisor.start();
    await waitFor(() => named(events, "ready").length >= 2, 15_000, "the restart after the hang");
    const unhealthy = named(events, "unhealthy")[0]!.payload;
    expect(unhealthy.reason).toContain("did not answer /health 2 times in a row");
    const restart = named(events, "restart")[0]!.payload;
    expect(restart.reason).toBe("hang");
    expect(groupMembers(first.pgid!)).toEqual([]);
    expect(logger.lines.some((line) => line.includes("hung and was stopped"))).toBe(true);
    expect(readFileSync(supervisor.logFile.path, "utf8")).toContain("simulated hang");
  }, 20_000);

  test("stop() during the backoff cancels the pending restart", async () => {
    const { supervisor, events } = await setup({ SIM_CRASH_AFTER_MS: "300" }, { backoff: { initialMs: 3_000, maxMs: 3_000, factor: 1, jitter: 0 } });
    await supervisor.start();
    await waitFor(() => named(events, "restart").length === 1, 10_000, "the first restart decision");
    const began = Date.now();
    await supervisor.stop();
    expect(Date.now() - began).toBeLessThan(1_000);
    await Bun.sleep(200);
    expect(named(events, "ready")).toHaveLength(1);
    expect(supervisor.status().state).toBe("stopped");
  }, 20_000);
});
