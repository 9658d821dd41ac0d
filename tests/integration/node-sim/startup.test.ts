import { afterAll, describe, expect, test } from "bun:test";
import { FrameClient, makeModelDir, spawnSim, startSim } from "./harness.ts";

const model = makeModelDir();
afterAll(() => model.cleanup());

// A well-known anvil test key: harmless, but must still never be printed.
const TEST_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

describe("node stand-in startup", () => {
  test("prints the real node's readiness lines and serves its HTTP endpoints", async () => {
    const sim = await startSim({ MODEL_PATH: model.modelPath, P2P_PORT: "9123", CHAIN_ID: "31337" });
    try {
      const out = sim.stdout();
      const loaded = out.indexOf("✅ Model loaded successfully");
      const started = out.indexOf(`✅ API server started on http://0.0.0.0:${sim.port}`);
      const running = out.indexOf("🎉 Fabstir LLM Node is running");
      expect(loaded).toBeGreaterThan(0);
      expect(started).toBeGreaterThan(loaded);
      expect(running).toBeGreaterThan(started);
      expect(out).toContain("9123");

      const health = await (await fetch(`${sim.baseUrl}/health`)).json();
      expect(health).toEqual({ status: "healthy", issues: [] });

      const version = (await (await fetch(`${sim.baseUrl}/v1/version`)).json()) as Record<string, unknown>;
      expect(typeof version.version).toBe("string");
      expect(typeof version.build).toBe("string");
      expect(typeof version.date).toBe("string");
      expect(Array.isArray(version.features)).toBe(true);
      expect(version.chains).toEqual([31337]);

      const models = await (await fetch(`${sim.baseUrl}/v1/models`)).json();
      expect(models).toEqual({
        models: [{ id: "tiny-vicuna-1b.q4_k_m", name: "tiny-vicuna-1b.q4_k_m.gguf" }],
      });

      const inference = await fetch(`${sim.baseUrl}/v1/inference`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt: "Hello there", max_tokens: 7 }),
      });
      expect(inference.status).toBe(200);
      const answer = (await inference.json()) as { content: string; tokens_used: number; usage: Record<string, number> };
      expect(answer.tokens_used).toBe(7);
      expect(answer.usage.completion_tokens).toBe(7);
      expect(answer.content.length).toBeGreaterThan(0);

      const metrics = await (await fetch(`${sim.baseUrl}/metrics`)).text();
      expect(metrics).toContain("fabstir_tokens_generated_total 7");
      expect(metrics).toContain("fabstir_sessions_active 0");

      const missing = await fetch(`${sim.baseUrl}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: "not found" });
    } finally {
      await sim.kill();
    }
  });

  test("/health answers degraded while the model loads, then healthy", async () => {
    const sim = spawnSim({ MODEL_PATH: model.modelPath, API_PORT: "0", SIM_STARTUP_DELAY_MS: "1500" });
    try {
      const match = await sim.waitForOutput(/API listening on 127\.0\.0\.1:(\d+)/);
      const baseUrl = `http://127.0.0.1:${match[1]}`;
      const early = (await (await fetch(`${baseUrl}/health`)).json()) as { status: string; issues: string[] };
      expect(early.status).toBe("degraded");
      expect(early.issues.length).toBeGreaterThan(0);
      expect(sim.stdout()).not.toContain("Model loaded successfully");
      expect((await fetch(`${baseUrl}/v1/inference`, { method: "POST", body: "{}" })).status).toBe(503);

      await sim.waitForOutput(/🎉 Fabstir LLM Node is running/);
      expect(await (await fetch(`${baseUrl}/health`)).json()).toEqual({ status: "healthy", issues: [] });
    } finally {
      await sim.kill();
    }
  });

  test("exits non-zero with an error line when MODEL_PATH is missing", async () => {
    const sim = spawnSim({ MODEL_PATH: `${model.dir}/absent.gguf`, API_PORT: "0" });
    try {
      expect(await sim.exited).not.toBe(0);
      expect(sim.stderr()).toContain("Model file not found");
      expect(sim.stdout()).not.toContain("Fabstir LLM Node is running");
    } finally {
      await sim.kill();
    }
  });

  test("exits non-zero when MODEL_PATH is unset, and 1 with SIM_FAIL_START", async () => {
    const unset = spawnSim({ API_PORT: "0" });
    const failing = spawnSim({ MODEL_PATH: model.modelPath, API_PORT: "0", SIM_FAIL_START: "1" });
    try {
      expect(await unset.exited).not.toBe(0);
      expect(unset.stderr()).toContain("MODEL_PATH");
      expect(await failing.exited).toBe(1);
      expect(failing.stderr()).toMatch(/❌ Error: .+/);
    } finally {
      await unset.kill();
      await failing.kill();
    }
  });

  test("SIGINT closes WebSockets with 1001 and exits 0", async () => {
    const sim = await startSim({ MODEL_PATH: model.modelPath });
    let client: FrameClient | undefined;
    try {
      client = await FrameClient.connect(sim.port);
      await client.waitFor((frame) => frame.type === "connected");
      sim.proc.kill("SIGINT");
      expect(await client.closed()).toBe(1001);
      expect(await sim.exited).toBe(0);
    } finally {
      await client?.close();
      await sim.kill();
    }
  });

  test("SIGTERM exits 0; the host key never appears in output", async () => {
    const sim = await startSim({ MODEL_PATH: model.modelPath, HOST_PRIVATE_KEY: TEST_KEY, RUST_LOG: "debug" });
    try {
      sim.proc.kill("SIGTERM");
      expect(await sim.exited).toBe(0);
      const output = sim.output().toLowerCase();
      expect(output).not.toContain(TEST_KEY.slice(2).toLowerCase());
      expect(output).toContain("host key loaded");
    } finally {
      await sim.kill();
    }
  });

  test("a malformed HOST_PRIVATE_KEY is refused without being echoed", async () => {
    const badKey = "0xnot-a-key-but-secret-anyway";
    const sim = spawnSim({ MODEL_PATH: model.modelPath, API_PORT: "0", HOST_PRIVATE_KEY: badKey });
    try {
      expect(await sim.exited).toBe(1);
      expect(sim.output()).toContain("HOST_PRIVATE_KEY");
      expect(sim.output()).not.toContain("secret-anyway");
    } finally {
      await sim.kill();
    }
  });
});
