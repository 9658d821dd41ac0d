/** Each node's own settings: ports, GPUs (CUDA_VISIBLE_DEVICES), layers, context, model, node log and salvage port. */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig } from "../../../../src/config/store.ts";
import type { HostConfig } from "../../../../src/config/types.ts";
import { buildNodeEnv, inheritedEnv } from "../../../../src/node/supervisor/node-env.ts";
import { Supervisor } from "../../../../src/node/supervisor/supervisor.ts";
import { instanceConfig, NodeInstances } from "../../../../src/node/instances/manager.ts";
import type { PlannedInstance } from "../../../../src/node/instances/plan.ts";
import { systemClock } from "../../../../src/util/clock.ts";
import { createNullLogger } from "../../../../src/ops/logging/logger.ts";

const config = resolveConfig(undefined, {}, { models: ["org/a-GGUF:a.gguf", "org/b-GGUF:b.gguf"], "node.extraEnv": { FOO: "1" } }).config as HostConfig;
const network = {
  chainId: 31337,
  rpcUrls: ["http://127.0.0.1:8545"],
  contracts: { jobMarketplace: "0x1", nodeRegistry: "0x2", hostEarnings: "0x3", modelRegistry: "0x4", proofSystem: "0x5", fabToken: "0x6", usdcToken: "0x7" },
};

const planned = (over: Partial<PlannedInstance>): PlannedInstance => ({
  name: "node",
  model: "org/a-GGUF:a.gguf",
  modelId: `0x${"aa".repeat(32)}`,
  modelPath: "/m/a.gguf",
  gpus: [],
  gpuLayers: 35,
  contextLength: 8192,
  internalPort: 8081,
  p2pPort: 9000,
  neededBytes: 1,
  ...over,
});

describe("one node's settings", () => {
  test("its ports, GPUs, layers, context and model reach its environment; the host's CUDA_VISIBLE_DEVICES does not win", () => {
    const node = planned({
      name: "node-2",
      model: "org/b-GGUF:b.gguf",
      modelPath: "/m/b.gguf",
      gpus: [2, 3],
      gpuLayers: 99,
      contextLength: 4096,
      internalPort: 8082,
      p2pPort: 9003,
    });
    const own = instanceConfig(config, node);
    const env = { ...inheritedEnv({ CUDA_VISIBLE_DEVICES: "0,1,2,3", PATH: "/bin" }), ...buildNodeEnv(own, network, { modelPath: node.modelPath }) };
    expect(env).toMatchObject({
      API_PORT: "8082",
      P2P_PORT: "9003",
      MODEL_PATH: "/m/b.gguf",
      GPU_LAYERS: "99",
      MAX_CONTEXT_LENGTH: "4096",
      CUDA_VISIBLE_DEVICES: "2,3",
      FOO: "1",
    });
    // A node on any GPU leaves the variable as the host has it.
    expect(instanceConfig(config, planned({})).node.extraEnv).toEqual({ FOO: "1" });
    expect(config.node.extraEnv).toEqual({ FOO: "1" });
  });

  test("the manager: one supervisor per further node, its own log folder and salvage port; routes only to running nodes", async () => {
    const logsDir = mkdtempSync(join(tmpdir(), "instances-"));
    try {
      const deps = {
        spawn: (() => {
          throw new Error("not spawned here");
        }) as never,
        fetch,
        logger: createNullLogger(),
        clock: systemClock,
        logsDir,
        baseEnv: {},
      };
      const first = planned({});
      const second = planned({ name: "node-2", model: "org/b-GGUF:b.gguf", modelId: `0x${"bb".repeat(32)}`, internalPort: 8082 });
      const primary = new Supervisor({ config, network, binaryPath: "/bin/true", modelPath: first.modelPath }, deps);
      const nodes = new NodeInstances({
        instances: [first, second],
        primary,
        spec: { binaryPath: "/bin/true", network },
        salvage: ["fabstir-host", "/home"],
        config,
        deps,
      });
      expect(nodes.runs.map((r) => r.instance.name)).toEqual(["node", "node-2"]);
      expect(nodes.extras[0]!.supervisor.logFile.path.startsWith(join(logsDir, "node-2"))).toBe(true);
      expect(nodes.servedModels()).toEqual([first.modelId!, second.modelId!]);
      // Nothing runs yet: no node to route to.
      expect(nodes.upstreams(first.modelId!)).toEqual([]);
      expect(nodes.fallback()).toBeUndefined();
      expect(nodes.status().map((s) => [s.name, s.state, s.gpus])).toEqual([
        ["node", "idle", []],
        ["node-2", "idle", []],
      ]);
      nodes.reportSessions(new Map([["http://127.0.0.1:8082", 2]]));
      expect(nodes.status().map((s) => s.sessions)).toEqual([0, 0]);
      const spec = (nodes.extras[0]!.supervisor as unknown as { spec: { orphanSalvage: string[] } }).spec;
      expect(spec.orphanSalvage).toEqual(["fabstir-host", "/home", "8082"]);
      await primary.logFile.close();
      await nodes.extras[0]!.supervisor.logFile.close();
    } finally {
      rmSync(logsDir, { recursive: true, force: true });
    }
  });
});
