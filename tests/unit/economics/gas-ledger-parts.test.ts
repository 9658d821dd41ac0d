import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kindOfIntent } from "../../../src/economics/gas-kinds.ts";
import { feeOfReceipt } from "../../../src/economics/receipt-fee.ts";
import { gasLedgerPath, loadGasLedger, saveGasLedger, emptyGasLedger } from "../../../src/economics/gas-store.ts";
import { buildNetEarnings } from "../../../src/economics/net-earnings.ts";
import { gasFigure, median } from "../../../src/economics/cost-basis.ts";
import type { GasEntry } from "../../../src/economics/gas-types.ts";
import type { SessionLedgerRow } from "../../../src/host/ledger/types.ts";
import { amountOf } from "../../../src/host/ledger/amounts.ts";

const HOST = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

describe("journal keys name the transaction's purpose", () => {
  const cases: Array<[string, string, string | null]> = [
    [`register:${HOST}:approve`, "approve", null],
    [`register:${HOST}:register`, "register", null],
    [`register:${HOST}:price:0xabc:eth:3000000`, "pricing", null],
    [`pricing:${HOST}:clear:0xabc:usdc`, "pricing", null],
    [`stake:${HOST}:1000:approve:5`, "approve", null],
    [`stake:${HOST}:1000:add:5`, "stake", null],
    [`unregister:${HOST}`, "unregister", null],
    [`update:${HOST}:url:https://x`, "update", null],
    ["proof:12:3000", "proof", "12"],
    ["complete:12", "settlement", "12"],
    ["timeout:7", "timeout", "7"],
    ["sweep:abc:eth", "withdraw", null],
    ["something-else", "other", null],
  ];
  for (const [key, kind, jobId] of cases) test(key, () => expect(kindOfIntent({ key })).toEqual({ kind: kind as never, jobId }));
  test("a withdrawn intent's mined no-op is a cancel", () =>
    expect(kindOfIntent({ key: "proof:1:100", withdrawn: { at: 1, reason: "x" } }).kind).toBe("cancel"));
});

describe("receipt fees", () => {
  test("gasUsed × effectiveGasPrice plus the OP-stack l1Fee", () => {
    const fee = feeOfReceipt({
      transactionHash: "0x1",
      from: "0xAB",
      blockNumber: "0x10",
      status: "0x1",
      gasUsed: "0x4b320",
      effectiveGasPrice: "0x3b9aca00",
      l1Fee: "0x2540be400",
    });
    expect(fee).toMatchObject({ from: "0xab", block: 16, status: 1, gasUsed: 308_000n, l1Fee: 10_000_000_000n });
    expect(fee.feeWei).toBe(308_000n * 1_000_000_000n + 10_000_000_000n);
  });
  test("no l1Fee (anvil, L1) costs L2 gas only; a reverted one still pays", () => {
    const fee = feeOfReceipt({ transactionHash: "0x1", from: "0xab", blockNumber: "0x1", status: "0x0", gasUsed: "0x5208", effectiveGasPrice: "0x1" });
    expect(fee).toMatchObject({ status: 0, l1Fee: 0n, feeWei: 21_000n });
  });
});

describe("gas ledger file", () => {
  test("saved atomically and loaded; a damaged or foreign file is dropped", () => {
    const dir = mkdtempSync(join(tmpdir(), "gas-ledger-"));
    try {
      const file = emptyGasLedger(31337, HOST);
      file.entries["0x1"] = entry({ hash: "0x1" });
      saveGasLedger(dir, file);
      expect(loadGasLedger(dir, 31337, HOST.toUpperCase().replace("0X", "0x"))?.entries["0x1"]?.feeWei).toBe("100");
      expect(loadGasLedger(dir, 1, HOST)).toBeNull();
      mkdirSync(join(dir, "gas-ledger"), { recursive: true });
      writeFileSync(gasLedgerPath(dir, 31337, HOST), "{half");
      expect(loadGasLedger(dir, 31337, HOST)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function entry(over: Partial<GasEntry>): GasEntry {
  return {
    hash: "0x0",
    block: 1,
    kind: "proof",
    jobId: null,
    status: 1,
    gasUsed: "10",
    effectiveGasPrice: "10",
    l1Fee: "0",
    feeWei: "100",
    source: "journal",
    time: 1000,
    ...over,
  };
}

function row(jobId: string, token: "eth" | "usdc", credited: bigint): SessionLedgerRow {
  return {
    jobId,
    token,
    tokenAddress: null,
    status: "completed",
    payer: "0xc",
    origin: "direct",
    delegate: null,
    billing: "tokens",
    tokensProved: "0",
    proofs: 0,
    credited: amountOf(token, credited),
    openedAt: null,
    settledAt: null,
    settleTx: null,
  };
}

describe("net earnings", () => {
  const gas = {
    entries: {
      a: entry({ hash: "a", jobId: "1", feeWei: "300" }),
      b: entry({ hash: "b", jobId: "1", kind: "settlement", feeWei: "200" }),
      c: entry({ hash: "c", jobId: "2", feeWei: "1000000000000" }), // 1e12 wei
      d: entry({ hash: "d", kind: "register", feeWei: "50", time: 10 }),
    },
  };
  const ledger = { sessions: { "1": { model: "0xm1" }, "2": { model: "0xm1" } } as never };
  const sessions = [row("1", "eth", 1000n), row("2", "usdc", 10_000n)];

  test("per job, per model and per token; USDC never added to ETH without a rate", () => {
    const net = buildNetEarnings({ sessions, ledger, gas, since: null, ethUsd: null });
    expect(net.jobs[0]).toMatchObject({ jobId: "1", gas: { raw: "500" }, transactions: 2, net: { token: "eth", raw: "500" } });
    expect(net.jobs[1]).toMatchObject({ jobId: "2", net: null });
    expect(net.byModel.map((m) => [m.model, m.token, m.sessions])).toEqual([
      ["0xm1", "eth", 1],
      ["0xm1", "usdc", 1],
    ]);
    expect(net.totals).toMatchObject({
      gas: { raw: "1000000000550" },
      transactions: 4,
      netEth: { raw: (1000n - 1_000_000_000_550n).toString() },
      netUsd: null,
    });
    expect(net.gasByKind.register).toMatchObject({ transactions: 1, fee: { raw: "50" } });
  });

  test("with ethUsd: USDC gas converted, a total in USD", () => {
    const net = buildNetEarnings({ sessions, ledger, gas, since: null, ethUsd: 3000 });
    // 1e12 wei at $3,000/ETH = 3,000 micro-USDC.
    expect(net.jobs[1]!.net).toMatchObject({ token: "usdc", raw: "7000" });
    expect(net.totals.netUsd).not.toBeNull();
  });

  test("--since leaves older host-wide gas out of the totals", () => {
    const net = buildNetEarnings({ sessions, ledger, gas, since: 500_000, ethUsd: null });
    expect(net.gasByKind.register).toBeUndefined();
    expect(net.totals.transactions).toBe(3);
  });
});

describe("cost basis figures", () => {
  test("median of the host's own mined transactions, else the estimate", () => {
    expect(median([3n, 1n, 2n])).toBe(2n);
    expect(median([4n, 1n, 2n, 3n])).toBe(2n);
    const entries = [entry({ gasUsed: "300000", l1Fee: "5" }), entry({ gasUsed: "310000", l1Fee: "7" }), entry({ gasUsed: "999999", status: 0 })];
    expect(gasFigure(entries, ["proof"], 1n)).toEqual({ gas: "305000", source: "ledger", samples: 2, l1FeeWei: "6" });
    expect(gasFigure([], ["proof"], 308_000n)).toEqual({ gas: "308000", source: "estimate", samples: 0, l1FeeWei: "0" });
  });
});

describe("model names", () => {
  test("ids of the configured models are named repo:file; others stay ids", async () => {
    const { configuredModelNames } = await import("../../../src/economics/model-names.ts");
    const { modelIdFromInput } = await import("../../../src/host/models/registry.ts");
    const ref = "org/repo:model.gguf";
    const id = modelIdFromInput(ref).id;
    const names = configuredModelNames([ref, "not a model"]);
    expect(names.get(id)).toBe(ref);
    const net = buildNetEarnings({
      sessions: [row("1", "eth", 1n), row("2", "eth", 1n)],
      ledger: { sessions: { "1": { model: id }, "2": { model: "0xother" } } as never },
      gas: { entries: {} },
      since: null,
      ethUsd: null,
      modelNames: names,
    });
    expect(net.jobs.map((j) => j.model)).toEqual([ref, "0xother"]);
  });
});
