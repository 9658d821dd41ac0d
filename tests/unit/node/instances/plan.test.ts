import { describe, expect, test } from "bun:test";
import { spawnRunner } from "../../../../src/node/gpu/command-runner.ts";
import { detectGpus } from "../../../../src/node/gpu/detect.ts";
import { planInstances, visibleDevices } from "../../../../src/node/instances/plan.ts";
import { resolveConfig } from "../../../../src/config/store.ts";
import type { HostConfig } from "../../../../src/config/types.ts";
import { gpuSpawn, type GpuMachine } from "../../../fixtures/gpu/fake-spawn.ts";

const GIB = 1024 ** 3;
const SMALL = "org/small-GGUF:small.q4.gguf";
const BIG = "org/big-GGUF:big.q4.gguf";

const gpuOf = (machine: GpuMachine) => detectGpus({ runner: spawnRunner(gpuSpawn(machine)), platform: "linux" });

function config(models: string[], extra: Record<string, unknown> = {}): HostConfig {
  return resolveConfig(undefined, {}, { models, ...extra }).config as HostConfig;
}

/** Sizes by file name; a name not listed is a file not downloaded. */
const sizes = (table: Record<string, number>) => (path: string) => table[path.split("/").pop()!] ?? null;

describe("the node plan", () => {
  test("one model on one GPU: one node, as before (no CUDA_VISIBLE_DEVICES)", async () => {
    const plan = planInstances({ config: config([SMALL]), modelsDir: "/m", gpu: await gpuOf("nvidia-h100"), fileSize: sizes({ "small.q4.gguf": 2 * GIB }) });
    expect(plan.source).toBe("single");
    expect(plan.instances).toHaveLength(1);
    expect(plan.instances[0]).toMatchObject({ name: "node", model: SMALL, gpus: [], internalPort: 8081, p2pPort: 9000 });
    expect(visibleDevices(plan.instances[0]!)).toBeUndefined();
    expect(plan.problems).toEqual([]);
  });

  test("the recorded 4× RTX 4090: one node per GPU, both models served, copies on the GPUs left", async () => {
    const plan = planInstances({
      config: config([SMALL, BIG]),
      modelsDir: "/m",
      gpu: await gpuOf("nvidia-4x-rtx4090"),
      fileSize: sizes({ "small.q4.gguf": 2 * GIB, "big.q4.gguf": 12 * GIB }),
    });
    expect(plan.source).toBe("default");
    expect(plan.instances.map((i) => [i.name, i.model, i.gpus])).toEqual([
      ["node", BIG, [0]],
      ["node-2", SMALL, [1]],
      ["node-3", BIG, [2]],
      ["node-4", SMALL, [3]],
    ]);
    // Ports side by side, skipping the public port; P2P ports three apart (P2P_PORT, +1 tcp, +2 udp).
    expect(plan.instances.map((i) => i.internalPort)).toEqual([8081, 8082, 8083, 8084]);
    expect(plan.instances.map((i) => i.p2pPort)).toEqual([9000, 9003, 9006, 9009]);
    expect(plan.problems).toEqual([]);
  });

  test("a model too big for one 24 GiB GPU gets several", async () => {
    const plan = planInstances({
      config: config([BIG, SMALL]),
      modelsDir: "/m",
      gpu: await gpuOf("nvidia-4x-rtx4090"),
      fileSize: sizes({ "small.q4.gguf": 2 * GIB, "big.q4.gguf": 40 * GIB }),
    });
    expect(plan.instances.map((i) => [i.model, i.gpus])).toEqual([
      [BIG, [0, 1, 2]],
      [SMALL, [3]],
    ]);
    expect(visibleDevices(plan.instances[0]!)).toBe("0,1,2");
    expect(plan.problems).toEqual([]);
  });

  test("the recorded 8× A100 with two models: eight nodes, one per GPU", async () => {
    const plan = planInstances({
      config: config([SMALL, BIG]),
      modelsDir: "/m",
      gpu: await gpuOf("nvidia-8x-a100"),
      fileSize: sizes({ "small.q4.gguf": 2 * GIB, "big.q4.gguf": 30 * GIB }),
    });
    expect(plan.instances).toHaveLength(8);
    expect(plan.instances.map((i) => i.gpus)).toEqual([[0], [1], [2], [3], [4], [5], [6], [7]]);
    expect(new Set(plan.instances.map((i) => i.model))).toEqual(new Set([SMALL, BIG]));
  });

  test("more models than GPUs: the extra ones share the GPU with the most room", async () => {
    const third = "org/third-GGUF:third.gguf";
    const plan = planInstances({
      config: config([SMALL, BIG, third]),
      modelsDir: "/m",
      gpu: await gpuOf("nvidia-h100"),
      fileSize: sizes({ "small.q4.gguf": 2 * GIB, "big.q4.gguf": 20 * GIB, "third.gguf": 4 * GIB }),
    });
    expect(plan.instances.map((i) => [i.model, i.gpus])).toEqual([
      [BIG, [0]],
      [third, [0]],
      [SMALL, [0]],
    ]);
    expect(plan.problems).toEqual([]);
  });

  test("node.instances as configured; a node that does not fit its GPU is a problem with the fix", async () => {
    const instances = [
      { model: BIG, gpus: [0], gpuLayers: 99 },
      { model: SMALL, gpus: [0], contextLength: 4096 },
    ];
    const plan = planInstances({
      config: config([SMALL, BIG], { "node.instances": instances }),
      modelsDir: "/m",
      gpu: await gpuOf("nvidia-4x-rtx4090"),
      fileSize: sizes({ "small.q4.gguf": 2 * GIB, "big.q4.gguf": 19 * GIB }),
    });
    expect(plan.source).toBe("config");
    expect(plan.instances.map((i) => [i.model, i.gpus, i.gpuLayers, i.contextLength])).toEqual([
      [BIG, [0], 99, 8192],
      [SMALL, [0], 35, 4096],
    ]);
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]!.message).toContain("GPU 0");
    expect(plan.problems[0]!.fix).toContain("node.instances");
  });

  test("a GPU the machine lacks, a model the host does not list, a file not downloaded", async () => {
    const plan = planInstances({
      config: config([SMALL], { "node.instances": [{ model: BIG, gpus: [7] }] }),
      modelsDir: "/m",
      gpu: await gpuOf("nvidia-h100"),
      fileSize: sizes({}),
    });
    const messages = plan.problems.map((p) => p.message).join("\n");
    expect(messages).toContain("not one of the host's models");
    expect(messages).toContain("is not there");
    expect(messages).toContain("GPU 7");
    expect(plan.problems.find((p) => p.message.includes("is not there"))!.fix).toContain(`models download ${BIG}`);
  });
});
