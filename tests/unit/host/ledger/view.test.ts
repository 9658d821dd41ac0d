import { describe, expect, test } from "bun:test";
import { ZeroAddress } from "ethers";
import { buildLedgerView } from "../../../../src/host/ledger/view.ts";
import { renderEarningsCsv } from "../../../../src/cli/render/earnings.ts";
import type { EarningsReport } from "../../../../src/host/ledger/earnings.ts";
import type { LedgerFile, LedgerSession } from "../../../../src/host/ledger/types.ts";

const USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const HOST = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const DAY = 86_400;
const T0 = Date.parse("2026-03-01T00:00:00Z") / 1000;

const session = (jobId: string, token: string, openedAt: number, createdBlock: number): LedgerSession => ({
  jobId,
  depositor: "0xc",
  token,
  deposit: "1",
  pricePerToken: "1",
  model: null,
  createdBlock,
  createdTx: `0xc${jobId}`,
  openedAt,
});

/** Session 1 (ETH) settled on day 1, session 2 (USDC) settled on day 5, session 3 (USDC) still open; a withdrawal on day 6; a credit from before the ledger's first block. */
function ledger(): LedgerFile {
  return {
    version: 1,
    chainId: 31337,
    host: HOST,
    contracts: { jobMarketplace: "0xm", hostEarnings: "0xe" },
    startBlock: 0,
    scannedTo: 100,
    anchor: null,
    updatedAt: 0,
    sessions: { "1": session("1", ZeroAddress, T0, 10), "2": session("2", USDC, T0 + DAY, 20), "3": session("3", USDC, T0 + 4 * DAY, 60) },
    events: [
      { kind: "credited", token: USDC, amount: "7", block: 5, logIndex: 0, tx: "0xold", time: T0 - DAY },
      { kind: "proof", jobId: "1", tokens: "1000", block: 11, logIndex: 0, tx: "0xp1" },
      { kind: "proof", jobId: "1", tokens: "500", block: 12, logIndex: 0, tx: "0xp2" },
      {
        kind: "settled",
        jobId: "1",
        outcome: "completed",
        tokensUsed: "1500",
        hostEarnings: "4050000",
        refund: "1",
        block: 13,
        logIndex: 1,
        tx: "0xs1",
        time: T0 + DAY,
      },
      { kind: "credited", token: ZeroAddress, amount: "4050000", block: 13, logIndex: 0, tx: "0xs1", time: T0 + DAY },
      { kind: "proof", jobId: "2", tokens: "4000", block: 21, logIndex: 0, tx: "0xp3" },
      {
        kind: "settled",
        jobId: "2",
        outcome: "timed_out",
        tokensUsed: "4000",
        hostEarnings: "18000",
        refund: "1",
        block: 50,
        logIndex: 2,
        tx: "0xs2",
        time: T0 + 5 * DAY,
      },
      { kind: "credited", token: USDC, amount: "18000", block: 50, logIndex: 1, tx: "0xs2", time: T0 + 5 * DAY },
      { kind: "proof", jobId: "3", tokens: "200", block: 61, logIndex: 0, tx: "0xp4" },
      { kind: "withdrawn", token: USDC, amount: "10000", block: 70, logIndex: 0, tx: "0xw1", time: T0 + 6 * DAY },
    ],
  };
}

describe("ledger view", () => {
  test("per session: tokens proved, proofs, the credit of its settlement transaction; per token: totals", () => {
    const view = buildLedgerView(ledger(), { usdcAddress: USDC });
    expect(view.sessions.map((s) => [s.jobId, s.status, s.tokensProved, s.proofs, s.credited?.raw ?? null])).toEqual([
      ["1", "completed", "1500", 2, "4050000"],
      ["2", "timed_out", "4000", 1, "18000"],
      ["3", "active", "200", 1, null],
    ]);
    expect(view.sessions[0]!.settledAt).toBe("2026-03-02T00:00:00.000Z");
    expect(view.totals.eth).toMatchObject({
      sessions: 1,
      tokensProved: "1500",
      credited: { value: "0.00000000000405" },
      withdrawn: { raw: "0" },
      outstanding: { raw: "4050000" },
    });
    // The credit from before the first scanned block counts in the totals, though no session claims it.
    expect(view.totals.usdc).toMatchObject({
      sessions: 2,
      tokensProved: "4200",
      credited: { raw: "18007" },
      withdrawn: { raw: "10000", value: "0.01" },
      outstanding: { raw: "8007" },
    });
    expect(view.withdrawals).toEqual([
      { token: "usdc", tokenAddress: USDC, amount: { token: "usdc", raw: "10000", value: "0.01" }, at: "2026-03-07T00:00:00.000Z", tx: "0xw1", block: 70 },
    ]);
  });

  test("--since keeps sessions settled (or, open, started) and withdrawals made at or after it; outstanding stays whole", () => {
    const view = buildLedgerView(ledger(), { usdcAddress: USDC, since: (T0 + 4 * DAY) * 1000 });
    expect(view.since).toBe("2026-03-05T00:00:00.000Z");
    expect(view.sessions.map((s) => s.jobId)).toEqual(["2", "3"]);
    expect(view.totals.eth).toMatchObject({ sessions: 0, credited: { raw: "0" }, outstanding: { raw: "4050000" } });
    expect(view.totals.usdc).toMatchObject({ sessions: 2, credited: { raw: "18000" }, withdrawn: { raw: "10000" } });
    expect(buildLedgerView(ledger(), { usdcAddress: USDC, since: (T0 + 7 * DAY) * 1000 }).withdrawals).toEqual([]);
  });

  test("CSV: one row per session and per withdrawal; cells a spreadsheet would run are quoted", () => {
    const view = buildLedgerView(ledger(), { usdcAddress: USDC });
    view.sessions[0]!.settleTx = '=HYPERLINK("x")';
    const report = {
      ...view,
      onChain: {} as EarningsReport["onChain"],
      reconciled: true,
      scan: { from: 0, to: 100, rebuilt: true },
      ledgerFile: "",
    } as EarningsReport;
    const lines = renderEarningsCsv(report).trim().split("\n");
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines[1]).toBe(
      `session,1,eth,completed,1500,2,0.00000000000405,4050000,2026-03-01T00:00:00.000Z,2026-03-02T00:00:00.000Z,"'=HYPERLINK(""x"")",tokens,,0xc`,
    );
    expect(lines[4]).toBe("withdrawal,,usdc,,,,0.01,10000,,2026-03-07T00:00:00.000Z,0xw1,,,");
  });
});
