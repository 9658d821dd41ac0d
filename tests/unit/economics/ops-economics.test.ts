/** Gas and net in the metrics, the daily summary's net sentence, the market's ranks, and the running host's gas tracker. */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHostMetrics } from "../../../src/ops/metrics/host-metrics.ts";
import { parseExposition } from "../../../src/ops/metrics/parse-exposition.ts";
import { createOpsEvents, type OpsEvent } from "../../../src/ops/events.ts";
import { DailySummary, netSentence, summaryLine } from "../../../src/ops/summary/daily-summary.ts";
import { emptySummary } from "../../../src/ops/summary/summary-store.ts";
import { tokenView, type MarketHost } from "../../../src/economics/market.ts";
import { createGasTracker } from "../../../src/economics/gas-tracker.ts";
import { emptyGasLedger, saveGasLedger } from "../../../src/economics/gas-store.ts";
import type { ReconcileResult } from "../../../src/host/ledger/reconcile.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "economics-ops-"));
  dirs.push(dir);
  return dir;
};
const silent = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silent;
  },
  filePath: undefined,
  close: async () => {},
} as never;

describe("metrics", () => {
  test("gas per kind, net ETH and proof latency", async () => {
    const metrics = createHostMetrics({ build: { version: "1", commit: "c" } });
    const emit = createOpsEvents({ metrics });
    emit({ type: "gas_spent", kind: "proof", wei: 3_080_000_000_000n });
    emit({ type: "gas_spent", kind: "proof", wei: 3_080_000_000_000n });
    emit({ type: "gas_spent", kind: "settlement", wei: 2_900_000_000_000n });
    emit({ type: "net_earnings", wei: -300_000_000_000_000n });
    emit({ type: "proof_submitted", jobId: "1", tokens: 1000, latencySeconds: 4.5 });
    const families = parseExposition(await metrics.text());
    const family = (name: string) => families.find((f) => f.name === name)!;
    expect(family("fabstir_host_gas_spent_eth_total").samples.find((s) => s.labels.kind === "proof")!.value).toBeCloseTo(0.00000616, 12);
    expect(family("fabstir_host_net_earnings_eth").samples[0]!.value).toBeCloseTo(-0.0003, 12);
    expect(family("fabstir_host_proof_latency_seconds").type).toBe("histogram");
  });
});

describe("daily summary", () => {
  test("the day's gas is counted and the line says the net on the day's sessions", () => {
    const stateDir = tempDir();
    const clock = { now: Date.parse("2026-07-01T10:00:00Z") };
    const lines: string[] = [];
    const logger = { ...(silent as object), info: (message: string) => lines.push(message) } as never;
    const summary = new DailySummary({ stateDir, now: () => clock.now, logger, newSegmentId: () => "s1" });
    for (let i = 0; i < 12; i++) summary.record({ type: "session_started" });
    summary.record({ type: "earnings_credited", token: "eth", amount: 100_000_000_000_000n });
    summary.record({ type: "gas_spent", wei: 400_000_000_000_000n });
    clock.now = Date.parse("2026-07-02T00:00:01Z");
    const written = summary.tick()!;
    expect(written.gasSpentWei).toBe("400000000000000");
    expect(netSentence(written)).toBe("net −0.0003 ETH on 12 sessions (gas 0.0004 ETH)");
    expect(lines[0]).toEndWith("; net −0.0003 ETH on 12 sessions (gas 0.0004 ETH)");
  });
  test("a day without gas keeps the line as it was; USDC is named, never added", () => {
    const day = { ...emptySummary("2026-07-01"), sessions: 2, earnings: { eth: "5", usdc: "2500000" } };
    expect(summaryLine(day)).not.toContain("net");
    expect(netSentence({ ...day, gasSpentWei: "1" })).toBe("net 0.000000000000000004 ETH and 2.5 USDC on 2 sessions (gas 0.000000000000000001 ETH)");
  });
});

describe("market ranks", () => {
  const host = (address: string, eth: string | null, mine = false): MarketHost => ({ address, apiUrl: "", prices: { eth, usdc: null }, isThisHost: mine });
  test("cheapest first; ties share a rank; hosts without a price are not ranked", () => {
    const view = tokenView("eth", [host("a", "300"), host("b", "100"), host("me", "300", true), host("c", null), host("d", "500")], 400n);
    expect(view).toMatchObject({
      hostsPriced: 4,
      lowest: "100",
      median: "300",
      highest: "500",
      rank: 2,
      thisPrice: "300",
      breakEven: "400",
      belowBreakEven: 3,
    });
    expect(tokenView("usdc", [host("me", "1", true)], null)).toMatchObject({ hostsPriced: 0, rank: null, breakEven: null, belowBreakEven: 0 });
  });
});

describe("gas tracker", () => {
  test("reports only transactions new to this process, and the net after each run", async () => {
    const stateDir = tempDir();
    const host = "0x00000000000000000000000000000000000000aa";
    const file = emptyGasLedger(31337, host);
    file.entries["0xold"] = {
      hash: "0xold",
      block: 1,
      kind: "register",
      jobId: null,
      status: 1,
      gasUsed: "1",
      effectiveGasPrice: "1",
      l1Fee: "0",
      feeWei: "7",
      source: "event",
      time: 1,
    };
    saveGasLedger(stateDir, file);
    const receipts: Record<string, unknown> = {
      "0xproof": { transactionHash: "0xproof", from: host, blockNumber: "0x2", status: "0x1", gasUsed: "0x64", effectiveGasPrice: "0x2" },
    };
    const rpc = {
      async send(method: string, params: unknown[]) {
        if (method === "eth_getLogs") return [];
        if (method === "eth_getTransactionReceipt") return receipts[params[0] as string] ?? null;
        if (method === "eth_getBlockByNumber") return { timestamp: "0x10" };
        throw new Error(method);
      },
    };
    const events: OpsEvent[] = [];
    const track = createGasTracker({ rpc, chainId: 31337, contracts: { nodeRegistry: "0x01", fabToken: "0x02" }, host, stateDir, emit: (e) => events.push(e) });
    const ledger = {
      startBlock: 0,
      scannedTo: 5,
      sessions: {},
      events: [
        { kind: "proof", jobId: "1", tokens: "1000", block: 2, logIndex: 0, tx: "0xproof" },
        { kind: "credited", token: "0x0000000000000000000000000000000000000000", amount: "1000", block: 3, logIndex: 0, tx: "0xsettle", time: 1 },
      ],
    } as unknown as ReconcileResult["ledger"];
    await track({ ledger, rebuilt: false } as ReconcileResult);
    expect(events).toEqual([
      { type: "gas_spent", kind: "proof", wei: 200n },
      { type: "net_earnings", wei: 1000n - 200n - 7n },
    ]);
    events.length = 0;
    await track({ ledger, rebuilt: false } as ReconcileResult);
    expect(events).toEqual([{ type: "net_earnings", wei: 793n }]);
  });
});
