import { afterAll, describe, expect, test } from "bun:test";
import { isAnswered, isFailedCheck, isNormal, probeHealth, type HealthResult } from "../../../../src/node/supervisor/health.ts";

let answer: () => Response | Promise<Response> = () => Response.json({ status: "healthy" });
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => answer() });
const base = `http://127.0.0.1:${server.port}`;
afterAll(() => server.stop(true));

const result = (status: HealthResult["status"], issues: string[] = [], p2pOnly = false): HealthResult => ({ status, issues, p2pOnly });

describe("probeHealth", () => {
  // fabstir-llm-node@85a87b8 src/api/server.rs:1505-1534: the P2P node is never set, so this is every real node's answer.
  test("the real node's lifelong answer is degraded for the P2P node alone: p2pOnly, normal", async () => {
    answer = () => Response.json({ status: "degraded", issues: ["No P2P node available"] });
    const health = await probeHealth(fetch, base, 1_000);
    expect(health).toEqual({ status: "degraded", issues: ["No P2P node available"], p2pOnly: true });
    expect(isNormal(health)).toBe(true);
    expect(isAnswered(health)).toBe(true);
  });

  test("any other issue is reported, not normal; two issues are unhealthy", async () => {
    answer = () => Response.json({ status: "degraded", issues: ["Circuit breaker is open"] });
    const other = await probeHealth(fetch, base, 1_000);
    expect(other.p2pOnly).toBe(false);
    expect(isNormal(other)).toBe(false);
    answer = () => Response.json({ status: "unhealthy", issues: ["No P2P node available", "Circuit breaker is open"] }, { status: 200 });
    const unhealthy = await probeHealth(fetch, base, 1_000);
    expect(unhealthy).toMatchObject({ status: "unhealthy", p2pOnly: false });
    expect(isFailedCheck(unhealthy)).toBe(true);
  });

  test("healthy leaves out issues (skip_serializing_if) and is normal", async () => {
    answer = () => Response.json({ status: "healthy" });
    expect(await probeHealth(fetch, base, 1_000)).toEqual({ status: "healthy", issues: [], p2pOnly: false });
    expect(isNormal(result("healthy"))).toBe(true);
  });

  test("an answer that is not the node's is invalid; no answer is unreachable", async () => {
    answer = () => new Response("<html>proxy error</html>", { status: 502 });
    expect(await probeHealth(fetch, base, 1_000)).toMatchObject({ status: "invalid", error: "HTTP 502, not JSON" });
    answer = () => Response.json({ status: "great" });
    expect((await probeHealth(fetch, base, 1_000)).status).toBe("invalid");
    const refused = await probeHealth(fetch, "http://127.0.0.1:1", 1_000);
    expect(refused.status).toBe("unreachable");
    expect(isAnswered(refused)).toBe(false);
  });

  test("a node that accepts and never answers times out", async () => {
    answer = () => new Promise<Response>(() => {});
    const began = Date.now();
    const health = await probeHealth(fetch, base, 200);
    expect(health).toMatchObject({ status: "unreachable", error: "no answer within 200 ms" });
    expect(Date.now() - began).toBeLessThan(1_000);
  });

  test("after readiness, degraded is not a failed check", () => {
    expect(isFailedCheck(result("degraded", ["No P2P node available"], true))).toBe(false);
    expect(isFailedCheck(result("healthy"))).toBe(false);
    expect(isFailedCheck(result("unhealthy"))).toBe(true);
    expect(isFailedCheck(result("unreachable"))).toBe(true);
  });
});
