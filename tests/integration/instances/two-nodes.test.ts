/**
 * Two real node processes (the stand-in) from one plan: each on its own loopback port with its own model file and
 * CUDA_VISIBLE_DEVICES, and each restarted on its own: a crash of the second leaves the first untouched.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { NodeInstances, instanceConfig } from "../../../src/node/instances/manager.ts";
import type { PlannedInstance } from "../../../src/node/instances/plan.ts";
import { Supervisor } from "../../../src/node/supervisor/supervisor.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { FAST, freePort, killGroup, makeHostDir, memoryLogger, readProcText, TEST_NETWORK, waitFor, type HostDir } from "../supervisor/helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function plan(dir: HostDir): Promise<PlannedInstance[]> {
  const second = join(dir.root, "tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf");
  writeFileSync(second, "GGUF second fake model");
  const base = { gpuLayers: 35, contextLength: 8192, neededBytes: 1 };
  return [
    {
      ...base,
      name: "node",
      model: "a/a:a.gguf",
      modelId: `0x${"aa".repeat(32)}`,
      modelPath: dir.modelPath,
      gpus: [0],
      internalPort: dir.port,
      p2pPort: 19_000,
    },
    {
      ...base,
      name: "node-2",
      model: "b/b:b.gguf",
      modelId: `0x${"bb".repeat(32)}`,
      modelPath: second,
      gpus: [1, 2],
      internalPort: await freePort(),
      p2pPort: 19_003,
    },
  ];
}

describe("two nodes", () => {
  test("each runs with its own port, model and GPUs, and restarts on its own", async () => {
    const dir = await makeHostDir();
    cleanups.push(() => dir.cleanup());
    const instances = await plan(dir);
    const config = dir.config();
    const deps = {
      spawn,
      fetch,
      logger: memoryLogger(),
      clock: systemClock,
      logsDir: dir.paths.logsDir,
      baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME, CUDA_VISIBLE_DEVICES: "0,1,2" },
    };
    const spec = { network: TEST_NETWORK, binaryPath: dir.binaryPath };
    const primary = new Supervisor({ ...spec, config: instanceConfig(config, instances[0]!), modelPath: instances[0]!.modelPath }, deps, FAST);
    const nodes = new NodeInstances({ instances, primary, spec, config, deps, settings: FAST });
    cleanups.push(async () => {
      const pids = nodes.status().map((s) => s.pid);
      await nodes.stopExtras();
      await primary.stop();
      for (const pid of pids) killGroup(pid);
    });
    await primary.start();
    await nodes.startExtras();

    const [first, second] = nodes.status();
    expect([first!.state, second!.state]).toEqual(["running", "running"]);
    expect([first!.port, second!.port]).toEqual([instances[0]!.internalPort, instances[1]!.internalPort]);
    const envOf = (pid: number) =>
      Object.fromEntries(
        readProcText(pid, "environ")
          .split(/[\0\n]/)
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
      );
    expect(envOf(first!.pid!)).toMatchObject({ CUDA_VISIBLE_DEVICES: "0", MODEL_PATH: instances[0]!.modelPath, API_PORT: String(instances[0]!.internalPort) });
    expect(envOf(second!.pid!)).toMatchObject({
      CUDA_VISIBLE_DEVICES: "1,2",
      MODEL_PATH: instances[1]!.modelPath,
      API_PORT: String(instances[1]!.internalPort),
      P2P_PORT: "19003",
    });
    // Each loaded its own model (the stand-in's /sim/model: the real node names its model nowhere a client can read).
    const loaded = async (port: number) => ((await (await fetch(`http://127.0.0.1:${port}/sim/model`)).json()) as { modelFile: string }).modelFile;
    expect([await loaded(first!.port!), await loaded(second!.port!)]).toEqual(["tiny-vicuna-1b.q4_k_m.gguf", "tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf"]);
    expect(nodes.upstreams(instances[1]!.modelId!)).toEqual([`http://127.0.0.1:${second!.port}`]);
    // The front's session counts land on the node that holds them.
    nodes.reportSessions(new Map([[`http://127.0.0.1:${second!.port}`, 2]]));
    expect(nodes.status().map((s) => s.sessions)).toEqual([0, 2]);

    const restarted = nodes.extras[0]!.supervisor.once("ready");
    process.kill(second!.pid!, "SIGKILL");
    await restarted;
    await waitFor(() => nodes.status()[1]!.state === "running", 10_000, "node-2 running again");
    const [firstAfter, secondAfter] = nodes.status();
    expect(secondAfter!.restarts).toBe(1);
    expect(secondAfter!.pid).not.toBe(second!.pid);
    expect({ pid: firstAfter!.pid, restarts: firstAfter!.restarts, state: firstAfter!.state }).toEqual({ pid: first!.pid, restarts: 0, state: "running" });
  }, 60_000);
});
