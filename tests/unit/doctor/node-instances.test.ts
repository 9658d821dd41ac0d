import { describe, expect, test } from "bun:test";
import { mkdirSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { nodeInstancesCheck } from "../../../src/doctor/checks/node-instances.ts";
import { builtinChecks } from "../../../src/doctor/checks/index.ts";
import { doctorContext, GIB, testConfig } from "./helpers.ts";

const SMALL = "org/small-GGUF:small.q4.gguf";
const BIG = "org/big-GGUF:big.q4.gguf";

/** A sparse file of `size` bytes where the node would look for the model. */
function placeModel(modelsDir: string, model: string, size: number): void {
  const path = join(modelsDir, model.split(":")[1]!);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "");
  truncateSync(path, size);
}

describe("doctor: nodes, models and GPUs", () => {
  test("is a built-in check", () => {
    expect(builtinChecks().map((c) => c.id)).toContain("node-instances");
  });

  test("the recorded 4× RTX 4090 with two models: one node per GPU, shown with its model and GPU", async () => {
    const ctx = doctorContext({ machine: "nvidia-4x-rtx4090", config: testConfig((c) => (c.models = [SMALL, BIG])) });
    placeModel(ctx.paths.modelsDir, SMALL, 2 * GIB);
    placeModel(ctx.paths.modelsDir, BIG, 12 * GIB);
    const result = await nodeInstancesCheck.run(ctx);
    expect(result.status).toBe("pass");
    expect(result.summary).toContain("4 nodes (one per GPU)");
    expect(result.summary).toContain(`node: ${BIG} on GPU 0`);
    expect(result.summary).toContain(`node-2: ${SMALL} on GPU 1`);
    const details = result.details as { instances: { name: string; gpus: number[] }[] };
    expect(details.instances.map((i) => i.gpus)).toEqual([[0], [1], [2], [3]]);
  });

  test("an assignment that does not fit the GPU's memory fails, with the fix", async () => {
    const ctx = doctorContext({
      machine: "nvidia-4x-rtx4090",
      config: testConfig((c) => {
        c.models = [SMALL, BIG];
        c.node.instances = [
          { model: BIG, gpus: [1] },
          { model: SMALL, gpus: [2] },
        ];
      }),
    });
    placeModel(ctx.paths.modelsDir, SMALL, 2 * GIB);
    placeModel(ctx.paths.modelsDir, BIG, 30 * GIB);
    const result = await nodeInstancesCheck.run(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("GPU 1 (NVIDIA GeForce RTX 4090, 24 GiB) would need ~36 GiB for node");
    expect(result.fix).toContain("more GPUs");
    expect(result.fix).toContain("node.instances");
  });

  test("a configured model that no node loads fails", async () => {
    const ctx = doctorContext({
      machine: "nvidia-h100",
      config: testConfig((c) => {
        c.models = [SMALL, BIG];
        c.node.instances = [{ model: SMALL, gpus: [0] }];
      }),
    });
    placeModel(ctx.paths.modelsDir, SMALL, 2 * GIB);
    const result = await nodeInstancesCheck.run(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toContain(`No node loads ${BIG}`);
  });
});
