/** What `start` plans to run, on the recorded multi-GPU machines: one node per GPU; a node without its file is left out. */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { planHost } from "../../../src/daemon/host-setup.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { spawnRunner } from "../../../src/node/gpu/command-runner.ts";
import { detectGpus } from "../../../src/node/gpu/detect.ts";
import { makeTestContext } from "../../helpers/context.ts";
import { gpuSpawn, type GpuMachine } from "../../fixtures/gpu/fake-spawn.ts";

const VICUNA = "CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf";
const LLAMA = "TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF:tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf";

async function contextOn(machine: GpuMachine, files: string[]) {
  const context = makeTestContext();
  context.services = { ...context.services, gpuReport: await detectGpus({ runner: spawnRunner(gpuSpawn(machine)), platform: "linux" }) };
  mkdirSync(context.paths.modelsDir, { recursive: true });
  for (const file of files) writeFileSync(join(context.paths.modelsDir, file), "GGUF");
  return context;
}

const config = (models: string[]): HostConfig =>
  resolveConfig({ network: "base-sepolia", models, node: { binaryPath: process.execPath } }, {}, {}).config as HostConfig;

describe("the nodes start runs", () => {
  test("the recorded 4× RTX 4090 with one model: four nodes, one per GPU, the first the host's primary", async () => {
    const context = await contextOn("nvidia-4x-rtx4090", ["tiny-vicuna-1b.q4_k_m.gguf"]);
    const plan = await planHost(context, config([VICUNA]));
    expect(plan.instances.map((i) => [i.name, i.gpus, i.internalPort])).toEqual([
      ["node", [0], 8081],
      ["node-2", [1], 8082],
      ["node-3", [2], 8083],
      ["node-4", [3], 8084],
    ]);
    expect(plan.modelPath).toBe(join(context.paths.modelsDir, "tiny-vicuna-1b.q4_k_m.gguf"));
  });

  test("the recorded 8× A100 with two models, one not downloaded: its nodes are left out and reported", async () => {
    const context = await contextOn("nvidia-8x-a100", ["tiny-vicuna-1b.q4_k_m.gguf"]);
    const plan = await planHost(context, config([VICUNA, LLAMA]));
    expect(new Set(plan.instances.map((i) => i.model))).toEqual(new Set([VICUNA]));
    expect(plan.instances).toHaveLength(4);
    expect(plan.skipped.map((i) => i.model)).toEqual([LLAMA, LLAMA, LLAMA, LLAMA]);
  });

  test("no GPU and one model: one node, as before", async () => {
    const context = await contextOn("none", ["tiny-vicuna-1b.q4_k_m.gguf"]);
    const plan = await planHost(context, config([VICUNA]));
    expect(plan.instances.map((i) => [i.name, i.gpus])).toEqual([["node", []]]);
  });
});
