import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { chatWithNode } from "../../helpers/node-chat.ts";
import { join } from "node:path";
import { isProcessAlive, killGroup, makeHostDir, makeSupervisor, readProcText, TEST_KEY, waitFor, type HostDir } from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hostDir(options: Parameters<typeof makeHostDir>[0] = {}): Promise<HostDir> {
  const dir = await makeHostDir(options);
  cleanups.push(() => dir.cleanup());
  return dir;
}

/** Runs the supervising fixture, waits for its node, kills the fixture with SIGKILL; returns the node's pid. */
async function superviseAndKill(dir: HostDir, mode: "watchdog" | "no-watchdog" | "salvage", beforeKill?: (nodePid: number) => Promise<void>): Promise<number> {
  const parent = Bun.spawn([process.execPath, join(import.meta.dir, "fixtures", "supervise.ts"), dir.home, mode], { stdout: "pipe", stderr: "pipe" });
  let nodePid = 0;
  cleanups.push(() => {
    parent.kill("SIGKILL");
    killGroup(nodePid);
  });
  const reader = parent.stdout.getReader();
  let text = "";
  const deadline = Date.now() + 15_000;
  while (!/READY (\d+)/.test(text) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  nodePid = Number(/READY (\d+)/.exec(text)?.[1]);
  expect(nodePid).toBeGreaterThan(0);
  expect(isProcessAlive(nodePid)).toBe(true);
  await beforeKill?.(nodePid);
  parent.kill("SIGKILL");
  await parent.exited;
  return nodePid;
}

describe("no orphan node", () => {
  test("kill -9 of the supervising process: the watchdog stops the node within seconds", async () => {
    const dir = await hostDir();
    const nodePid = await superviseAndKill(dir, "watchdog");
    const killedAt = Date.now();
    await waitFor(() => !isProcessAlive(nodePid), 5_000, "the orphaned node to stop");
    expect(Date.now() - killedAt).toBeLessThan(5_000);
  }, 20_000);

  test("kill -9 of the host: the salvage asks the node before stopping it; a keyless node has no index, the journal keeps its counts", async () => {
    const dir = await hostDir();
    const journalDir = join(dir.paths.stateDir, "proofs", "active");
    const journaled = (sessionId: string) => JSON.parse(readFileSync(join(journalDir, `${sessionId}.json`), "utf8")) as { generated: number; jobId?: string };
    const nodePid = await superviseAndKill(dir, "salvage", async () => {
      // The node served 2 answers (50 tokens each) in one session and 1 in another; the host journaled less of them.
      await chatWithNode(dir.port, "sess-a", "7", 2);
      await chatWithNode(dir.port, "sess-b", "8", 1);
      mkdirSync(journalDir, { recursive: true });
      const base = { encrypted: false, proven: 0, ended: false, openedAt: Date.now(), proofs: [], finished: false, attempts: 0 };
      writeFileSync(join(journalDir, "sess-a.json"), JSON.stringify({ ...base, sessionId: "sess-a", jobId: "7", generated: 60 }));
      writeFileSync(join(journalDir, "sess-b.json"), JSON.stringify({ ...base, sessionId: "sess-b", encrypted: true, generated: 0 }));
    });
    await waitFor(() => !isProcessAlive(nodePid), 10_000, "the orphaned node to stop");
    // The node runs keyless (signer "cli"): the real node then has no checkpoint manager and answers
    // GET /v1/checkpoints with 503 (fabstir-llm-node@85a87b8 src/api/server.rs:1643-1654), and its index never
    // carries a session's token total or job id (src/checkpoint/index.rs:13-27): nothing to save from it.
    expect(journaled("sess-a").generated).toBe(60);
    expect(journaled("sess-b")).toMatchObject({ generated: 0 });
    expect(journaled("sess-b").jobId).toBeUndefined();
  }, 30_000);

  test("control: without the watchdog the node would outlive its supervisor", async () => {
    const dir = await hostDir();
    const nodePid = await superviseAndKill(dir, "no-watchdog");
    await Bun.sleep(1_500);
    expect(isProcessAlive(nodePid)).toBe(true);
    killGroup(nodePid);
  }, 20_000);
});

describe("host key hand-off", () => {
  test('signer "node": the key reaches the node through its environment only, once, and never a log', async () => {
    const dir = await hostDir({ signer: "node", extraEnv: { SIM_CRASH_AFTER_MS: "500" } });
    let unlocks = 0;
    const { supervisor, logger, events } = makeSupervisor(
      dir,
      { crashLoop: { maxCrashes: 10, windowMs: 60_000 } },
      {
        unlockHostKey: async () => {
          unlocks++;
          return TEST_KEY;
        },
      },
    );
    cleanups.push(() => supervisor.stop(500));
    const { pid } = await supervisor.start();
    const environ = readProcText(pid!, "environ");
    expect(environ).toContain(`HOST_PRIVATE_KEY=${TEST_KEY}`);
    expect(readProcText(pid!, "cmdline")).not.toContain(TEST_KEY.slice(2));
    // The restarted node gets the key again without a second unlock.
    await waitFor(() => events.filter((e) => e.name === "ready").length >= 2, 10_000, "a restart");
    const second = supervisor.status().pid!;
    expect(readProcText(second, "environ")).toContain(`HOST_PRIVATE_KEY=${TEST_KEY}`);
    expect(unlocks).toBe(1);
    await supervisor.stop();

    const bare = TEST_KEY.slice(2);
    expect(readFileSync(join(dir.paths.logsDir, "node.log"), "utf8")).not.toContain(bare);
    expect(logger.lines.join("\n")).not.toContain(bare);
    expect(JSON.stringify(events)).not.toContain(bare);
    expect(JSON.stringify(supervisor.status())).not.toContain(bare);
  }, 20_000);

  test('signer "cli": the node runs keyless and the unlock function is never called', async () => {
    const dir = await hostDir({ signer: "cli" });
    let unlocks = 0;
    const { supervisor } = makeSupervisor(
      dir,
      {},
      {
        unlockHostKey: async () => {
          unlocks++;
          return TEST_KEY;
        },
      },
    );
    cleanups.push(() => supervisor.stop(500));
    const { pid } = await supervisor.start();
    expect(readProcText(pid!, "environ")).not.toContain("HOST_PRIVATE_KEY");
    expect(unlocks).toBe(0);
    expect(readFileSync(join(dir.paths.logsDir, "node.log"), "utf8")).toContain("No HOST_PRIVATE_KEY");
  }, 20_000);

  test("the node's environment is built from the config, with FAB_TOKEN in one spelling", async () => {
    const dir = await hostDir({ extraEnv: { CONTRACT_FAB_TOKEN: "0xdead", ENHANCED_S5_URL: "http://127.0.0.1:5522" } });
    const { supervisor } = makeSupervisor(dir);
    cleanups.push(() => supervisor.stop(500));
    const { pid } = await supervisor.start();
    const environ = readProcText(pid!, "environ").split("\n");
    expect(environ).toContain(`API_PORT=${dir.port}`);
    expect(environ).toContain("CHAIN_ID=31337");
    expect(environ).toContain("RPC_URL=http://127.0.0.1:1");
    expect(environ).toContain(`MODEL_PATH=${dir.modelPath}`);
    expect(environ).toContain("FAB_TOKEN=0x00000000000000000000000000000000000000a6");
    expect(environ).toContain("ENHANCED_S5_URL=http://127.0.0.1:5522");
    expect(environ.some((line) => line.startsWith("CONTRACT_FAB_TOKEN="))).toBe(false);
  }, 20_000);
});
