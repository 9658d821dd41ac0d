import { afterAll, describe, expect, test } from "bun:test";
import { FrameClient, makeModelDir, startSim } from "./harness.ts";

const model = makeModelDir();
afterAll(() => model.cleanup());

describe("node stand-in failure switches", () => {
  test("SIM_CRASH_AFTER_MS exits with 101 and a panic line", async () => {
    const sim = await startSim({ MODEL_PATH: model.modelPath, SIM_CRASH_AFTER_MS: "300" });
    try {
      expect(await sim.exited).toBe(101);
      expect(sim.stderr()).toContain("panicked");
    } finally {
      await sim.kill();
    }
  });

  test("SIM_CRASH_AFTER_TOKENS dies mid-stream without a stream_end", async () => {
    const sim = await startSim({
      MODEL_PATH: model.modelPath,
      SIM_CRASH_AFTER_TOKENS: "30",
      SIM_TOKENS_PER_PROMPT: "50",
      SIM_TOKEN_DELAY_MS: "1",
    });
    let client: FrameClient | undefined;
    try {
      client = await FrameClient.connect(sim.port);
      client.send({ type: "session_init", session_id: "doomed", job_id: 1 });
      await client.waitFor((frame) => frame.type === "session_init_ack");
      client.send({ type: "prompt", session_id: "doomed", prompt: "keep going" });
      const code = await client.closed();
      expect(code).not.toBe(1000);
      expect(code).not.toBe(1001);
      expect(await sim.exited).toBe(101);
      expect(client.framesOfType("stream_end")).toHaveLength(0);
      const streamed = client.framesOfType("stream_chunk").reduce((sum, frame) => sum + Number(frame.tokens), 0);
      expect(streamed).toBeLessThanOrEqual(30);
    } finally {
      await client?.close();
      await sim.kill();
    }
  });

  test("SIM_HANG_AFTER_MS stops answering but keeps the process alive", async () => {
    const sim = await startSim({ MODEL_PATH: model.modelPath, SIM_HANG_AFTER_MS: "400" });
    let client: FrameClient | undefined;
    try {
      expect((await fetch(`${sim.baseUrl}/health`)).status).toBe(200);
      client = await FrameClient.connect(sim.port);
      await sim.waitForOutput(/simulated hang/);
      const attempt = fetch(`${sim.baseUrl}/health`, { signal: AbortSignal.timeout(500) });
      await expect(attempt).rejects.toThrow();

      const from = client.frames.length;
      client.send({ type: "ping" });
      await Bun.sleep(200);
      expect(client.frames.length).toBe(from);
      expect(sim.proc.exitCode).toBeNull();
    } finally {
      await client?.close();
      await sim.kill();
    }
  });

  test("SIM_REJECT answers every session_init with an error frame", async () => {
    const sim = await startSim({ MODEL_PATH: model.modelPath, SIM_REJECT: "1", HOST_PRIVATE_KEY: `0x${"11".repeat(32)}` });
    let client: FrameClient | undefined;
    try {
      client = await FrameClient.connect(sim.port);
      client.send({ type: "session_init", session_id: "nope", job_id: 1 });
      const error = await client.waitFor((frame) => frame.type === "error");
      expect(error).toMatchObject({ code: "SESSION_REJECTED", session_id: "nope" });
      const from = client.frames.length;
      client.send({ type: "encrypted_session_init", session_id: "nope-2", payload: {} });
      expect(await client.waitFor((frame) => frame.type === "error", 5000, from)).toMatchObject({
        code: "SESSION_REJECTED",
      });
      expect(client.framesOfType("session_init_ack")).toHaveLength(0);
    } finally {
      await client?.close();
      await sim.kill();
    }
  });

  test("SIM_IGNORE_SIGTERM survives SIGTERM (for SIGKILL escalation tests) but not SIGINT", async () => {
    const sim = await startSim({ MODEL_PATH: model.modelPath, SIM_IGNORE_SIGTERM: "1" });
    try {
      sim.proc.kill("SIGTERM");
      await sim.waitForOutput(/Ignoring SIGTERM/);
      await Bun.sleep(100);
      expect(sim.proc.exitCode).toBeNull();
      sim.proc.kill("SIGINT");
      expect(await sim.exited).toBe(0);
    } finally {
      await sim.kill();
    }
  });
});
