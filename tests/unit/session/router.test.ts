import { describe, expect, test } from "bun:test";
import { checkpointFetch, createJobRouter, errorFrame, readInit, type NodeDirectory } from "../../../src/session/router.ts";

const A = `0x${"aa".repeat(32)}`;
const B = `0x${"bb".repeat(32)}`;
const C = `0x${"cc".repeat(32)}`;
const ZERO = `0x${"00".repeat(32)}`;

function directory(table: Record<string, string[]>, served = Object.keys(table)): NodeDirectory {
  return { upstreams: (id) => table[id] ?? [], servedModels: () => served, fallback: () => Object.values(table).flat()[0] };
}

function chainOf(models: Record<string, string>) {
  const reads: bigint[] = [];
  let failing = false;
  return {
    reads,
    fail: (on: boolean) => (failing = on),
    sessionModel: async (jobId: bigint) => {
      reads.push(jobId);
      if (failing) throw new Error("rpc down");
      return models[jobId.toString()] ?? ZERO;
    },
  };
}

describe("the job router", () => {
  test("routes by the job's model, reads each job's model once, and takes copies of a model in turn", async () => {
    const chain = chainOf({ "1": A, "2": B.toUpperCase().replace("0X", "0x") });
    const router = createJobRouter({ nodes: directory({ [A]: ["http://a1", "http://a2"], [B]: ["http://b"] }), sessionModel: chain.sessionModel });
    expect(await router.routeJob(1n)).toEqual({ upstream: "http://a1" });
    expect(await router.routeJob(1n)).toEqual({ upstream: "http://a2" });
    expect(await router.routeJob(2n)).toEqual({ upstream: "http://b" });
    expect(chain.reads).toEqual([1n, 2n]);
  });

  test("refusals: a model not served, a node restarting, a job with no model on a multi-model host, a failed read (not cached)", async () => {
    const chain = chainOf({ "3": C, "4": B, "5": ZERO, "6": A });
    const router = createJobRouter({ nodes: directory({ [A]: ["http://a"], [B]: [] }, [A, B]), sessionModel: chain.sessionModel });
    expect(await router.routeJob(3n)).toMatchObject({ refuse: { code: "MODEL_NOT_SERVED" } });
    expect(await router.routeJob(4n)).toMatchObject({ refuse: { code: "NODE_UNAVAILABLE" } });
    expect(await router.routeJob(5n)).toMatchObject({ refuse: { code: "JOB_MODEL_UNKNOWN" } });
    chain.fail(true);
    expect(await router.routeJob(6n)).toMatchObject({ refuse: { code: "MODEL_LOOKUP_FAILED" } });
    chain.fail(false);
    expect(await router.routeJob(6n)).toEqual({ upstream: "http://a" });
    // No job named (health, version …): the first node, as with one node.
    expect(await router.routeJob(undefined)).toEqual({ upstream: "http://a" });
  });

  test("the first frame decides; the refusal is the node's error shape with the request id", async () => {
    const router = createJobRouter({ nodes: directory({ [A]: ["http://a"] }), sessionModel: chainOf({ "7": C, "8": A }).sessionModel });
    const refused = await router.route(
      JSON.stringify({ type: "encrypted_session_init", session_id: "s7", job_id: "7", id: 41, payload: { ciphertextHex: "00" } }),
    );
    expect("refuse" in refused).toBe(true);
    const frame = (refused as { refuse: string }).refuse;
    expect(Object.keys(JSON.parse(frame))).toEqual(["code", "id", "message", "session_id", "type"]);
    expect(JSON.parse(frame)).toMatchObject({ code: "MODEL_NOT_SERVED", id: 41, session_id: "s7", type: "error" });
    expect(await router.route(JSON.stringify({ type: "session_init", sessionId: "s8", jobId: 8 }))).toEqual({ upstream: "http://a" });
    expect(router.nodeForSession("s8")).toBe("http://a");
    expect(router.modelOfSession("s8")).toBe(A);
  });

  test("init fields: snake or camel case, numbers or strings; hostile input names no job", () => {
    expect(readInit('{"type":"session_init","job_id":"12","session_id":"x"}')).toMatchObject({ jobId: 12n, sessionId: "x" });
    expect(readInit('{"jobId":12}').jobId).toBe(12n);
    for (const text of ["not json", "[]", '{"job_id":-1}', '{"job_id":"1e5"}', '{"job_id":1.5}']) expect(readInit(text).jobId).toBeUndefined();
    expect(errorFrame("X", "m", {})).toBe('{"code":"X","message":"m","session_id":"unknown","type":"error"}');
  });

  test("checkpoint reads go to the node that served the session", async () => {
    const router = createJobRouter({ nodes: directory({ [A]: ["http://a"], [B]: ["http://b"] }), sessionModel: chainOf({ "9": B }).sessionModel });
    await router.route(JSON.stringify({ type: "session_init", session_id: "s9", job_id: 9 }));
    const seen: string[] = [];
    const fetchVia = checkpointFetch(router, async (input) => (seen.push(String(input)), new Response("{}")), "http://a");
    await fetchVia("http://a/v1/checkpoints/s9");
    await fetchVia("http://a/v1/checkpoints/other");
    await fetchVia("http://a/health");
    expect(seen).toEqual(["http://b/v1/checkpoints/s9", "http://a/v1/checkpoints/other", "http://a/health"]);
  });
});
