import { afterAll, describe, expect, test } from "bun:test";
import { isFailedCheck, probeHealth } from "../../../../src/node/supervisor/health.ts";

let answer: () => Response | Promise<Response> = () => Response.json({ status: "healthy", issues: [] });
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => answer() });
const base = `http://127.0.0.1:${server.port}`;
afterAll(() => server.stop(true));

describe("probeHealth", () => {
  test("reads the node's status and issues", async () => {
    answer = () => Response.json({ status: "degraded", issues: ["model not loaded yet"] });
    expect(await probeHealth(fetch, base, 1_000)).toEqual({ status: "degraded", issues: ["model not loaded yet"] });
    answer = () => Response.json({ status: "unhealthy", issues: [] }, { status: 503 });
    expect((await probeHealth(fetch, base, 1_000)).status).toBe("unhealthy");
  });

  test("an answer that is not the node's is invalid; no answer is unreachable", async () => {
    answer = () => new Response("<html>proxy error</html>", { status: 502 });
    expect(await probeHealth(fetch, base, 1_000)).toMatchObject({ status: "invalid", error: "HTTP 502, not JSON" });
    answer = () => Response.json({ status: "great" });
    expect((await probeHealth(fetch, base, 1_000)).status).toBe("invalid");
    expect((await probeHealth(fetch, "http://127.0.0.1:1", 1_000)).status).toBe("unreachable");
  });

  test("a node that accepts and never answers times out", async () => {
    answer = () => new Promise<Response>(() => {});
    const began = Date.now();
    const result = await probeHealth(fetch, base, 200);
    expect(result).toMatchObject({ status: "unreachable", error: "no answer within 200 ms" });
    expect(Date.now() - began).toBeLessThan(1_000);
  });

  test("after readiness, degraded is not a failed check", () => {
    expect(isFailedCheck({ status: "degraded", issues: [] })).toBe(false);
    expect(isFailedCheck({ status: "healthy", issues: [] })).toBe(false);
    expect(isFailedCheck({ status: "unhealthy", issues: [] })).toBe(true);
    expect(isFailedCheck({ status: "unreachable", issues: [] })).toBe(true);
  });
});
