import { describe, expect, test } from "bun:test";
import { JobGate, checkpointFloor, type SessionJobView } from "../../../src/session/job-gate.ts";
import { RefusalTally, describeRefusals, type RefusalSummary } from "../../../src/session/refusals.ts";
import { FakeClock } from "../chain/helpers.ts";

const HOST = "0x00000000000000000000000000000000000000a1";
const OTHER = "0x00000000000000000000000000000000000000b2";
const ETH = "0x0000000000000000000000000000000000000000";
const job = (over: Partial<SessionJobView> = {}): SessionJobView => ({
  host: HOST,
  status: 0,
  paymentToken: ETH,
  deposit: 10n ** 16n,
  pricePerToken: 2_000_000n,
  proofInterval: 1000n,
  ...over,
});

function gate(jobs: Record<string, SessionJobView | Error>, options: { floor?: ReturnType<typeof checkpointFloor> } = {}) {
  const clock = { now: 0 };
  const reads: bigint[] = [];
  const g = new JobGate({
    hostAddress: HOST,
    now: () => clock.now,
    floor: options.floor,
    read: async (id) => {
      reads.push(id);
      const found = jobs[id.toString()];
      if (found instanceof Error) throw found;
      return found;
    },
  });
  return { g, clock, reads };
}

describe("the job gate", () => {
  test("refuses missing, finished and other hosts' jobs; accepts this host's active job", async () => {
    const { g } = gate({ "1": job(), "2": job({ host: OTHER }), "3": job({ status: 1 }) });
    expect(await g.check("1")).toEqual({ ok: true });
    expect(await g.check("2")).toMatchObject({ ok: false, code: "JOB_WRONG_HOST" });
    expect(await g.check("3")).toMatchObject({ ok: false, code: "JOB_NOT_ACTIVE" });
    expect(await g.check("4")).toMatchObject({ ok: false, code: "JOB_NOT_FOUND" });
  });

  test("ids the node would not take as a u64 are refused without a read", () => {
    const { g, reads } = gate({});
    for (const bad of [undefined, "", "-1", "1.5", "abc", "0", "18446744073709551616", "1".repeat(30)])
      expect(g.check(bad)).toMatchObject({ ok: false, code: "INVALID_JOB_ID" });
    expect(reads).toEqual([]);
  });

  test("reads each job once: concurrent checks share the read, later ones use the cache", async () => {
    const { g, clock, reads } = gate({ "7": job() });
    const results = await Promise.all(Array.from({ length: 50 }, () => g.check("7")));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(g.check("007")).toEqual({ ok: true }); // synchronous: cached, and the same job however it is written
    expect(reads).toEqual([7n]);
    clock.now += 60_001;
    await g.check("7");
    expect(reads).toEqual([7n, 7n]);
  });

  test("a missing job is forgotten quickly (it may be created a moment later); another host's job is not", async () => {
    const jobs: Record<string, SessionJobView> = { "9": job({ host: OTHER }) };
    const { g, clock, reads } = gate(jobs);
    expect(await g.check("8")).toMatchObject({ code: "JOB_NOT_FOUND" });
    expect(g.check("8")).toMatchObject({ code: "JOB_NOT_FOUND" });
    jobs["8"] = job();
    clock.now += 5_001;
    expect(await g.check("8")).toEqual({ ok: true });
    await g.check("9");
    clock.now += 600_000;
    g.check("9");
    expect(reads.filter((id) => id === 9n)).toHaveLength(1);
  });

  test("an unreadable chain lets the init through (the node checks too) and says so", async () => {
    const errors: string[] = [];
    const g = new JobGate({
      hostAddress: HOST,
      now: () => 0,
      read: async () => Promise.reject(new Error("rpc down")),
      onReadError: (id, e) => errors.push(`${id}:${e.message}`),
    });
    expect(await g.check("5")).toMatchObject({ ok: true, note: expect.stringContaining("not checked") });
    expect(errors).toEqual(["5:rpc down"]);
  });

  test("the job floor warns by default and refuses only when economics.minJobValue is set", async () => {
    // A checkpoint of 100 tokens at 1 wei per thousand tokens is worth nothing next to a proof's gas.
    const cheap = job({ pricePerToken: 1n, proofInterval: 100n });
    const warned: string[] = [];
    const warnOnly = new JobGate({
      hostAddress: HOST,
      now: () => 0,
      read: async () => cheap,
      floor: checkpointFloor(null, () => 200_000n * 10n ** 9n),
      onBelowFloor: (id) => warned.push(id),
    });
    expect(await warnOnly.check("1")).toMatchObject({ ok: true, note: expect.stringContaining("gas of its proof") });
    expect(warned).toEqual(["1"]);
    const enforced = new JobGate({ hostAddress: HOST, now: () => 0, read: async () => cheap, floor: checkpointFloor(10n ** 12n, () => 0n) });
    expect(await enforced.check("1")).toMatchObject({ ok: false, code: "JOB_BELOW_FLOOR" });
    // Worth it: 1000 tokens × 2e6 / 1000 = 2e6 wei... over a floor of 1e6.
    expect(await new JobGate({ hostAddress: HOST, now: () => 0, read: async () => job(), floor: checkpointFloor(1_000_000n, () => 0n) }).check("1")).toEqual({
      ok: true,
    });
    // Token jobs are not compared (no price feed).
    expect(
      await new JobGate({
        hostAddress: HOST,
        now: () => 0,
        read: async () => job({ paymentToken: OTHER, pricePerToken: 1n }),
        floor: checkpointFloor(10n ** 18n, () => 0n),
      }).check("1"),
    ).toEqual({ ok: true });
  });
});

describe("refusal tally", () => {
  test("one summary per address and window, with reasons and a few job ids", () => {
    const reports: RefusalSummary[] = [];
    const tally = new RefusalTally({ windowMs: 60_000, now: () => 0, report: (s) => reports.push(s) });
    for (let i = 0; i < 300; i++) tally.note("203.0.113.9", "JOB_NOT_FOUND", String(1000 + i));
    tally.note("203.0.113.9", "JOB_WRONG_HOST", "5");
    tally.note("198.51.100.1", "INVALID_JOB_ID", undefined);
    expect(reports).toEqual([]);
    tally.flushAll();
    expect(reports.map((r) => [r.address, r.count])).toEqual([
      ["203.0.113.9", 301],
      ["198.51.100.1", 1],
    ]);
    expect(describeRefusals(reports[0]!)).toBe(
      "301 sessions refused for unknown jobs from address 203.0.113.9 (300 for jobs that do not exist, 1 for another host's jobs; jobs 1000, 1001, 1002, 1003, 1004)",
    );
  });

  test("a window is reported when it closes, on the injected clock", () => {
    const reports: RefusalSummary[] = [];
    const clock = new FakeClock(0);
    const tally = new RefusalTally({ windowMs: 60_000, now: () => clock.now(), after: (ms, fn) => clock.after(ms, fn), report: (s) => reports.push(s) });
    tally.note("203.0.113.9", "JOB_NOT_FOUND", "7");
    clock.advance(59_999);
    expect(reports).toEqual([]);
    clock.advance(1);
    expect(reports.map((r) => [r.address, r.count])).toEqual([["203.0.113.9", 1]]);
    // A new refusal opens a new window.
    tally.note("203.0.113.9", "JOB_NOT_FOUND", "8");
    clock.advance(60_000);
    expect(reports).toHaveLength(2);
  });
});
