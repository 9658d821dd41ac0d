import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DailySummary, summaryLine } from "../../../../src/ops/summary/daily-summary.ts";
import type { Logger } from "../../../../src/ops/logging/logger-types.ts";
import { emptySummary } from "../../../../src/ops/summary/summary-store.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function recordingLogger(): Logger & { lines: { message: string; meta?: Record<string, unknown> }[] } {
  const lines: { message: string; meta?: Record<string, unknown> }[] = [];
  const self = {
    lines,
    error: () => {},
    warn: () => {},
    debug: () => {},
    info: (message: string, meta?: Record<string, unknown>) => lines.push({ message, meta }),
    child: () => self,
    filePath: undefined,
    close: async () => {},
  };
  return self as never;
}

function setup(start: string) {
  const stateDir = mkdtempSync(join(tmpdir(), "fabstir-summary-"));
  dirs.push(stateDir);
  const clock = { now: Date.parse(start) };
  const logger = recordingLogger();
  let segment = 0;
  const make = () => new DailySummary({ stateDir, now: () => clock.now, logger, newSegmentId: () => `seg-${++segment}` });
  const read = (day: string) => JSON.parse(readFileSync(join(stateDir, "summaries", `${day}.json`), "utf8"));
  return { stateDir, clock, logger, make, read };
}

describe("daily summary", () => {
  test("counts a day and writes one summary line and one file at rollover", () => {
    const { clock, logger, make, read } = setup("2026-07-01T10:00:00Z");
    const summary = make();
    summary.record({ type: "session_started" });
    summary.record({ type: "session_started" });
    summary.record({ type: "tokens_generated", count: 1500 });
    summary.record({ type: "proof_submitted", tokens: 1000 });
    summary.record({ type: "proof_failed" });
    summary.record({ type: "earnings_credited", token: "eth", amount: 1_000_000_000_000_000n });
    summary.record({ type: "earnings_credited", token: "usdc", amount: "2500000" });
    summary.record({ type: "node_restarted" });
    summary.record({ type: "rpc_error" });
    clock.now = Date.parse("2026-07-02T00:00:01Z");
    const written = summary.tick();
    expect(written).toMatchObject({
      day: "2026-07-01",
      sessions: 2,
      tokensGenerated: 1500,
      tokensProven: 1000,
      proofsSubmitted: 1,
      proofsFailed: 1,
      nodeRestarts: 1,
      rpcErrors: 1,
      earnings: { eth: "1000000000000000", usdc: "2500000" },
    });
    expect(read("2026-07-01").sessions).toBe(2);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]!.message).toBe(
      "daily summary 2026-07-01: 2 sessions, 1500 tokens generated, 1000 proven, 1 proofs submitted, 1 failed, earned 0.001 ETH, 2.5 USDC, 1 node restarts, 1 RPC errors",
    );
    expect(summary.current()).toMatchObject({ day: "2026-07-02", sessions: 0 });
  });

  test("a clock jump backwards neither loses nor doubles a day", () => {
    const { stateDir, clock, make, read } = setup("2026-07-01T23:00:00Z");
    const summary = make();
    summary.record({ type: "session_started" });
    clock.now = Date.parse("2026-07-02T00:10:00Z"); // July 1 closes
    summary.record({ type: "session_started" });
    clock.now = Date.parse("2026-07-01T23:50:00Z"); // back across midnight
    summary.record({ type: "session_started" }); // counts into the open day (July 2)
    expect(summary.tick()).toBeUndefined();
    clock.now = Date.parse("2026-07-02T00:20:00Z");
    summary.record({ type: "session_started" });
    clock.now = Date.parse("2026-07-03T00:00:00Z");
    summary.tick();
    expect(read("2026-07-01").sessions).toBe(1);
    expect(read("2026-07-02").sessions).toBe(3);
    expect(
      readdirSync(join(stateDir, "summaries"))
        .filter((f) => /^\d/.test(f))
        .sort(),
    ).toEqual(["2026-07-01.json", "2026-07-02.json"]);
  });

  test("the open day survives a restart; a crash right after writing a day does not count it twice", () => {
    const { stateDir, clock, make, read } = setup("2026-07-01T10:00:00Z");
    const first = make();
    first.record({ type: "session_started" });
    first.stop(); // saves current.json
    const second = make(); // same day: goes on counting
    second.record({ type: "session_started" });
    second.flush();
    const saved = readFileSync(join(stateDir, "summaries", "current.json"), "utf8");
    clock.now = Date.parse("2026-07-02T01:00:00Z");
    second.tick();
    expect(read("2026-07-01").sessions).toBe(2);
    // Simulate a crash between writing the day and saving the new open day: current.json still holds July 1.
    require("node:fs").writeFileSync(join(stateDir, "summaries", "current.json"), saved);
    make();
    expect(read("2026-07-01").sessions).toBe(2);
    expect(read("2026-07-01").segments).toHaveLength(1);
  });

  test("a day already written by another run is added to, not overwritten", () => {
    const { stateDir, clock, make, read } = setup("2026-07-01T10:00:00Z");
    const a = make();
    a.record({ type: "proof_submitted", tokens: 100 });
    clock.now = Date.parse("2026-07-02T00:00:00Z");
    a.tick();
    // state lost (current.json removed) and the clock goes back: a new run counts July 1 again from zero
    rmSync(join(stateDir, "summaries", "current.json"));
    clock.now = Date.parse("2026-07-01T20:00:00Z");
    const b = make();
    b.record({ type: "proof_submitted", tokens: 50 });
    clock.now = Date.parse("2026-07-02T00:00:00Z");
    b.tick();
    expect(read("2026-07-01")).toMatchObject({ proofsSubmitted: 2, tokensProven: 150 });
    expect(existsSync(join(stateDir, "summaries", "current.json"))).toBe(true);
  });

  test("tokens billed beyond what clients were served are counted and named in the day's line", () => {
    const { clock, logger, make, read } = setup("2026-07-01T10:00:00Z");
    const summary = make();
    summary.record({ type: "session_started" });
    summary.record({ type: "tokens_over_billed", tokens: 300 });
    summary.record({ type: "tokens_over_billed", tokens: 200 });
    clock.now = Date.parse("2026-07-02T00:00:01Z");
    expect(summary.tick()).toMatchObject({ day: "2026-07-01", tokensOverBilled: 500 });
    expect(read("2026-07-01").tokensOverBilled).toBe(500);
    expect(logger.lines[0]!.message).toEndWith("; 500 tokens billed beyond what clients were served (see the proofs log)");
  });

  test("summaryLine with nothing earned", () => {
    expect(summaryLine(emptySummary("2026-07-01"))).toContain("earned nothing");
  });
});
