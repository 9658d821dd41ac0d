/**
 * The CLI's readers of what the node says, fed the fixtures transcribed from the real node (fixtures.ts): readiness
 * and health (src/node/supervisor/health.ts), the checkpoint reader (src/proof/material.ts) and the session
 * monitor's frame reader (src/session/frames.ts).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { isAnswered, isFailedCheck, isNormal, parseHealth } from "../../src/node/supervisor/health.ts";
import { fetchNodeCheckpoints, materialFor, parseCheckpointIndex, readNodeCheckpoints } from "../../src/proof/material.ts";
import { readFrame } from "../../src/session/frames.ts";
import { CHECKPOINTS_INDEX, CHECKPOINTS_KEYLESS, CHECKPOINTS_NONE, FRAMES, HEALTH_BREAKER_OPEN, HEALTH_RUNNING, type HttpFixture } from "./fixtures.ts";

/** A local server answering one fixture for every request, as the node would. */
let current: HttpFixture = CHECKPOINTS_NONE;
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: () => new Response(current.body, { status: current.status, headers: { "content-type": "application/json" } }),
});
const nodeUrl = `http://127.0.0.1:${server.port}`;
afterAll(() => server.stop(true));

describe("health and readiness read the real /health", () => {
  test("a running node (degraded, No P2P node available) is answered and normal: p2pOnly", () => {
    const health = parseHealth(HEALTH_RUNNING.status, HEALTH_RUNNING.body);
    expect(health).toEqual({ status: "degraded", issues: ["No P2P node available"], p2pOnly: true });
    expect(isAnswered(health)).toBe(true);
    expect(isNormal(health)).toBe(true);
    expect(isFailedCheck(health)).toBe(false);
  });

  test("a second issue is reported: unhealthy, not normal", () => {
    const health = parseHealth(HEALTH_BREAKER_OPEN.status, HEALTH_BREAKER_OPEN.body);
    expect(health).toMatchObject({ status: "unhealthy", p2pOnly: false });
    expect(isNormal(health)).toBe(false);
    expect(isFailedCheck(health)).toBe(true);
  });
});

describe("the checkpoint reader reads the real index", () => {
  test("cumulative count = tokenRange[1], proofHash and deltaCid; no proof CID and no job in the real index", () => {
    const index = parseCheckpointIndex(JSON.parse(CHECKPOINTS_INDEX.body))!;
    expect(index.checkpoints.map((c) => [c.start, c.tokens])).toEqual([
      [0, 1000],
      [1000, 2000],
    ]);
    expect(index.checkpoints[0]!.material).toEqual({ proofHash: `0x${"11".repeat(32)}`, proofCID: "", deltaCID: "bafkreiaaaa" });
    expect(index.totalTokens).toBe(2000);
    expect(index.jobId).toBeUndefined();
    expect(index.hostAddress).toBe("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    expect(materialFor(index, "42", "sess-1", 2000).proofHash).toBe(`0x${"22".repeat(32)}`);
  });

  test("200 is the index, 404 none yet, 503 a keyless node", async () => {
    current = CHECKPOINTS_INDEX;
    expect((await fetchNodeCheckpoints(fetch, nodeUrl, "sess-1")).kind).toBe("index");
    expect((await readNodeCheckpoints(fetch, nodeUrl, "sess-1"))?.totalTokens).toBe(2000);
    current = CHECKPOINTS_NONE;
    expect(await fetchNodeCheckpoints(fetch, nodeUrl, "sess-1")).toEqual({ kind: "none" });
    current = CHECKPOINTS_KEYLESS;
    expect(await fetchNodeCheckpoints(fetch, nodeUrl, "sess-1")).toEqual({ kind: "keyless" });
    expect(await readNodeCheckpoints(fetch, nodeUrl, "sess-1")).toBeUndefined();
    expect((await fetchNodeCheckpoints(fetch, "http://127.0.0.1:1", "sess-1")).kind).toBe("unreachable");
  });
});

describe("the session monitor reads the real frames (keys sorted, type last)", () => {
  test("acks give the job id; chunks and stream_end give token counts; errors their code", () => {
    expect(readFrame(FRAMES.sessionInitAck.frame)).toEqual({ kind: "session_init_ack", sessionId: "sess-1", jobId: "42" });
    expect(readFrame(FRAMES.encryptedSessionInitAck.frame)).toEqual({ kind: "session_init_ack", sessionId: "sess-1", jobId: "42" });
    expect(readFrame(FRAMES.streamChunk.frame)).toEqual({ kind: "tokens", sessionId: undefined, tokens: 1, encrypted: false });
    expect(readFrame(FRAMES.encryptedChunk.frame)).toEqual({ kind: "tokens", sessionId: "sess-1", tokens: 1, encrypted: true });
    expect(readFrame(FRAMES.streamEndComplete.frame)).toMatchObject({ kind: "stream_end", tokensUsed: 40, reason: "complete" });
    expect(readFrame(FRAMES.streamEndCancelled.frame)).toMatchObject({ kind: "stream_end", sessionId: "sess-1", tokensUsed: 5, reason: "cancelled" });
    expect(readFrame(FRAMES.streamEndError.frame)).toMatchObject({ kind: "stream_end", tokensUsed: 0, reason: "error" });
    expect(readFrame(FRAMES.tokenLimitExceeded.frame)).toMatchObject({ kind: "error", code: "TOKEN_LIMIT_EXCEEDED" });
    expect(readFrame(FRAMES.encryptionNotSupported.frame)).toMatchObject({ kind: "error", sessionId: "sess-1", code: "ENCRYPTION_NOT_SUPPORTED" });
    expect(readFrame(FRAMES.connected.frame)).toBeUndefined();
  });

  // The real node writes "type" last (sorted keys): a realistic encrypted_chunk has it past character 256, and the
  // front's reader finds it at either end of the frame (src/session/frames.ts).
  test("an encrypted_chunk whose type comes after character 256 is still counted", () => {
    expect(FRAMES.encryptedChunkLong.frame.indexOf('"type"')).toBeGreaterThan(256);
    expect(readFrame(FRAMES.encryptedChunkLong.frame)).toEqual({ kind: "tokens", sessionId: "184467440737095", tokens: 1, encrypted: true });
  });
});
