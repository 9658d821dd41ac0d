/**
 * Break-even on the devnet: the devnet host's ETH price (3e-12 ETH per thousand tokens) is far below what a proof
 * costs at anvil's base fee, so `pricing check`, the doctor's economics check and `pricing set` all warn; a price
 * above break-even is not warned about. After proofs the gas comes from the ledger's median, not the estimate.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { completeAsHost, newSession, prove, startLedgerHost, type LedgerHost } from "../host-ledger/harness.ts";
import { hostPaymentFor } from "../../../src/economics/billing.ts";
import { fromContractPrice } from "../../../src/host/pricing/units.ts";
import { openSession } from "../../helpers/devnet.ts";

let h: LedgerHost;

beforeAll(async () => {
  h = await startLedgerHost();
  await h.setUp();
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => h?.stop());

type Row = {
  model: string;
  token: string;
  price: string;
  interval: number;
  below: boolean;
  breakEven: string | null;
  earnsPerCheckpoint: { raw: string };
  proofCost: { raw: string } | null;
};

describe("break-even prices on the devnet", () => {
  test("pricing check --json: every ETH price is below break-even, USDC is not compared without a rate", async () => {
    const result = await h.run(["pricing", "check", "--json"]);
    expect(result.code).toBe(0);
    const report = result.json().data;
    expect(report.basis.proof).toMatchObject({ source: "estimate", gas: "308000" });
    expect(report.basis.feeBasisPoints).toBe(1000);
    const eth = report.rows.filter((r: Row) => r.token === "eth");
    expect(eth.length).toBe(h.devnet.deployment.models.length);
    for (const row of eth as Row[]) {
      expect(row.below).toBe(true);
      expect(row.interval).toBe(1000);
      expect(row.earnsPerCheckpoint.raw).toBe(hostPaymentFor(1000n, BigInt(row.price), 1000n).toString());
      // The break-even price earns a proof's cost per checkpoint; one unit less does not.
      expect(hostPaymentFor(1000n, BigInt(row.breakEven!), 1000n)).toBeGreaterThanOrEqual(BigInt(row.proofCost!.raw));
      expect(hostPaymentFor(1000n, BigInt(row.breakEven!) - 1n, 1000n)).toBeLessThan(BigInt(row.proofCost!.raw));
    }
    expect(report.rows.filter((r: Row) => r.token === "usdc").every((r: Row) => r.breakEven === null && !r.below)).toBe(true);
    expect(report.warnings.length).toBe(eth.length);
    expect(report.notes.join(" ")).toContain("economics.ethUsd");
  });

  test("the doctor's economics check warns with the fix", async () => {
    const result = await h.run(["doctor", "--only", "economics", "--json"]);
    const check = result.json().data.checks.find((c: { id: string }) => c.id === "economics");
    expect(check.status).toBe("warn");
    expect(check.fix).toContain("pricing set");
  });

  test("pricing set warns before a price below break-even, not before one above it", async () => {
    const low = await h.run(["pricing", "set", "--eth", "0.000000000004", "--yes", "--json"]);
    expect(low.code).toBe(0);
    expect(low.json().data.breakEvenWarnings.length).toBe(1);
    const high = await h.run(["pricing", "set", "--eth", "0.01", "--yes"]);
    expect(high.code).toBe(0);
    expect(high.stderr).not.toContain("below break-even");
    const check = (await h.run(["pricing", "check", "--json"])).json().data;
    expect(check.rows.filter((r: Row) => r.token === "eth").every((r: Row) => !r.below)).toBe(true);
  });

  test("after proofs, the proof's gas is the median of the ledger and the smallest interval seen is used", async () => {
    await h.run(["pricing", "set", "--eth", "0.000000000003", "--yes"]);
    const job = await newSession(h, "ETH", {});
    await prove(h, job, 1000);
    await prove(h, job, 1000);
    await completeAsHost(h, job);
    expect((await h.run(["earnings", "--json"])).code).toBe(0); // fills the gas ledger
    const report = (await h.run(["pricing", "check", "--json"])).json().data;
    expect(report.basis.proof.source).toBe("ledger");
    expect(report.basis.proof.samples).toBe(2);
    expect(report.basis.settlement.source).toBe("ledger");
    expect(report.basis.intervals.sessionsLooked).toBe(1);
  });

  test("a session billed at the break-even price (with its settlement) is net positive, where the old price lost", async () => {
    // The gas basis is the ledger's own measured median by now (the test before proved and settled a job).
    const before = (await h.run(["pricing", "check", "--json"])).json().data;
    const row = (before.rows as (Row & { breakEvenWithSettlement: string | null })[]).find((r) => r.token === "eth")!;
    const price = BigInt(row.breakEvenWithSettlement!);
    expect(price).toBeGreaterThan(BigInt(row.price));
    const set = await h.run(["pricing", "set", "--eth", fromContractPrice("eth", price), "--yes", "--json"]);
    expect(set.code).toBe(0);
    expect(set.json().data.breakEvenWarnings).toEqual([]);
    // One checkpoint of the SDK's 1,000 tokens, proven and settled by the host at that price.
    const job = await openSession(h.devnet.deployment, h.devnet.provider, { token: "ETH", pricePerToken: price, proofInterval: 1000, deposit: 10n ** 17n });
    await prove(h, job, 1000);
    await completeAsHost(h, job);
    const earnings = (await h.run(["earnings", "--json"])).json().data;
    const net = (earnings.net.jobs as { jobId: string; net: { raw: string } | null }[]).find((j) => j.jobId === job.toString())!;
    expect(BigInt(net.net!.raw)).toBeGreaterThanOrEqual(0n);
    // The job the test before settled at the old price lost money.
    const others = (earnings.net.jobs as { jobId: string; net: { raw: string } | null }[]).filter((j) => j.jobId !== job.toString() && j.net);
    expect(others.some((j) => BigInt(j.net!.raw) < 0n)).toBe(true);
  });
});
