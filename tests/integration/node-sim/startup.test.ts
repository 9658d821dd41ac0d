import { afterAll, describe, expect, test } from "bun:test";
import { FrameClient, makeModelDir, spawnSim, startSim } from "./harness.ts";

const model = makeModelDir();
afterAll(() => model.cleanup());

// A well-known anvil test key: harmless, but must still never be printed.
const TEST_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

describe("node stand-in startup", () => {
  test("prints the real node's readiness lines and answers /health, /v1/version, /v1/models like it", async () => {
    const sim = await startSim({ MODEL_PATH: model.modelPath, P2P_PORT: "9123", CHAIN_ID: "31337" });
    try {
      const out = sim.stdout();
      // fabstir-llm-node@85a87b8 src/main.rs:270, 615, 620: the model id is the engine's UUID (src/inference/engine.rs:383).
      const loaded = out.search(/✅ Model loaded successfully \(ID: [0-9a-f-]{36}\)/);
      const started = out.indexOf(`✅ API server started on http://0.0.0.0:${sim.port}`);
      const running = out.indexOf("🎉 Fabstir LLM Node is running with REAL inference!");
      expect(loaded).toBeGreaterThan(0);
      expect(started).toBeGreaterThan(loaded);
      expect(running).toBeGreaterThan(started);
      expect(out).toContain("9123");

      // server.rs:1505-1534: degraded for the P2P node, for the node's whole life.
      const health = await fetch(`${sim.baseUrl}/health`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('{"status":"degraded","issues":["No P2P node available"]}');

      // src/version.rs:851-860, keys sorted.
      const versionText = await (await fetch(`${sim.baseUrl}/v1/version`)).text();
      const version = JSON.parse(versionText) as Record<string, unknown>;
      expect(Object.keys(version)).toEqual(["breaking_changes", "build", "chains", "date", "features", "version"]);
      expect(version.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(version.chains).toEqual([84532, 5611]);

      // server.rs:1482-1487: the models list needs the P2P node too, so a running node answers 503.
      const models = await fetch(`${sim.baseUrl}/v1/models`);
      expect(models.status).toBe(503);
      expect(await models.json()).toEqual({ error_type: "service_unavailable", message: "no available nodes", request_id: null, details: null });

      const inference = await fetch(`${sim.baseUrl}/v1/inference`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt: "Hello there", max_tokens: 7 }),
      });
      expect(inference.status).toBe(200);
      const answer = (await inference.json()) as { content: string; tokens_used: number; usage: Record<string, number> };
      expect(answer.tokens_used).toBe(7);
      expect(answer.content.length).toBeGreaterThan(0);

      const metrics = await (await fetch(`${sim.baseUrl}/metrics`)).text();
      expect(metrics).toContain("fabstir_tokens_generated_total 7");
      expect(metrics).toContain("fabstir_sessions_active 0");

      expect((await fetch(`${sim.baseUrl}/nope`)).status).toBe(404);
    } finally {
      await sim.kill();
    }
  });

  test("nothing listens while the model loads; the port opens with the readiness lines", async () => {
    // The real node binds its API server only after the model is loaded (src/main.rs:251-357).
    const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const port = probe.port;
    await probe.stop(true);
    const sim = spawnSim({ MODEL_PATH: model.modelPath, API_PORT: String(port), SIM_STARTUP_DELAY_MS: "1500" });
    try {
      await sim.waitForOutput(/📦 Loading model/);
      const early = await fetch(`http://127.0.0.1:${port}/health`).then(
        () => "answered",
        () => "refused",
      );
      expect(early).toBe("refused");
      expect(sim.stdout()).not.toContain("Model loaded successfully");
      await sim.waitForOutput(/🎉 Fabstir LLM Node is running/);
      expect(((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { status: string }).status).toBe("degraded");
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
