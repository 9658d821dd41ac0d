import { afterAll, describe, expect, test } from "bun:test";
import { startNodeSim, StartupError } from "../../../scripts/devnet/node-sim/server.ts";
import { makeModelDir } from "./harness.ts";

const model = makeModelDir();
afterAll(() => model.cleanup());

describe("startNodeSim (in-process)", () => {
  test("starts on a free port, becomes ready and stops", async () => {
    const lines: string[] = [];
    const sinks = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const node = await startNodeSim({ MODEL_PATH: model.modelPath, API_PORT: "0" }, { sinks });
    try {
      expect(node.port).toBeGreaterThan(0);
      await node.ready;
      expect(lines).toContain(`✅ API server started on http://0.0.0.0:${node.port}`);
      const health = await (await fetch(`http://127.0.0.1:${node.port}/health`)).json();
      // fabstir-llm-node@85a87b8 src/api/server.rs:1505-1534
      expect(health).toEqual({ status: "degraded", issues: ["No P2P node available"] });
    } finally {
      await node.stop();
    }
    await expect(fetch(`http://127.0.0.1:${node.port}/health`)).rejects.toThrow();
  });

  test("rejects with a StartupError when the model file is missing", async () => {
    const attempt = startNodeSim({ MODEL_PATH: `${model.dir}/missing.gguf`, API_PORT: "0" }, { sinks: { out() {}, err() {} } });
    await expect(attempt).rejects.toBeInstanceOf(StartupError);
  });
});
