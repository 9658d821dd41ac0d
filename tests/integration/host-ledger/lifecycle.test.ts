/**
 * A host's week on the devnet, through the real commands: register (the devnet's registerHost) → clients open ETH and USDC
 * sessions → the host proves tokens and settles (completed and timed out) → `status` and `earnings` show it →
 * `withdraw --yes` moves the balances to the host wallet → more work → `withdraw --to <cold>` sweeps it on → the host
 * unregisters → `status` says so. Every figure is checked against chain state.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Wallet, ZeroAddress } from "ethers";
import { DEFAULT_NATIVE_PRICE, DEFAULT_STABLE_PRICE, DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { completeAsHost, fn, newSession, prove, startLedgerHost, timeOut, type LedgerHost } from "./harness.ts";

let h: LedgerHost;
const jobs: Record<string, bigint> = {};
const cold = Wallet.createRandom().address; // checksummed

beforeAll(async () => {
  h = await startLedgerHost();
  await h.setUp();
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => h?.stop());

const net = (tokens: bigint, price: bigint) => {
  const gross = (tokens * price) / 1000n;
  return gross - gross / 10n;
};
const earned = (token: string) => fn(h.asHost.hostEarnings, "getBalance")(h.host, token) as Promise<bigint>;
const usdcOf = (who: string) => fn(h.asHost.usdcToken, "balanceOf")(who) as Promise<bigint>;

describe("a host's lifecycle", () => {
  test("sessions proved and settled on chain: status shows registration, prices, balances, earnings, sessions", async () => {
    jobs.eth = await newSession(h, "ETH");
    jobs.usdc = await newSession(h, "USDC");
    jobs.timeout = await newSession(h, "ETH", { proofTimeoutWindow: 60 });
    jobs.open = await newSession(h, "USDC");
    await prove(h, jobs.eth, 3000);
    await prove(h, jobs.eth, 1000);
    await prove(h, jobs.usdc, 4000);
    await prove(h, jobs.timeout, 500);
    await prove(h, jobs.open, 200);
    await completeAsHost(h, jobs.eth);
    await completeAsHost(h, jobs.usdc);
    await timeOut(h, jobs.timeout, 120);

    const result = await h.run(["status", "--json"]);
    expect(result.code).toBe(0);
    const status = result.json().data;
    expect(status.address).toBe(h.host);
    expect(status.network).toMatchObject({ name: "local", chainId: 31337, verified: true });
    expect(status.registration).toMatchObject({
      registered: true,
      active: true,
      stake: { raw: (10n ** 21n).toString(), value: "1000" },
      apiUrl: "http://127.0.0.1:8080",
    });
    const model = h.devnet.deployment.models[0]!;
    const row = status.registration.models.find((m: { id: string }) => m.id === model.id.toLowerCase());
    expect(row.name).toBe(`${model.repo}:${model.file}`);
    expect(row.prices.eth).toMatchObject({ contract: DEFAULT_NATIVE_PRICE.toString(), value: "0.000000000003", unit: "ETH per thousand tokens" });
    expect(row.prices.usdc).toMatchObject({ contract: DEFAULT_STABLE_PRICE.toString(), value: "5", unit: "USD per million tokens" });

    const ethEarned = await earned(ZeroAddress);
    expect(ethEarned).toBe(net(4000n, DEFAULT_NATIVE_PRICE) + net(500n, DEFAULT_NATIVE_PRICE));
    expect(status.earnings.eth.raw).toBe(ethEarned.toString());
    expect(status.earnings.usdc.raw).toBe((await earned(h.usdc)).toString());
    expect(status.earnings.usdc.value).toBe("0.018");
    expect(status.wallet.eth.raw).toBe((await h.devnet.provider.getBalance(h.host)).toString());
    expect(status.wallet.fab.value).toBe("4000");
    expect(status.sessions).toMatchObject({ active: 1, completed: 2, timedOut: 1, total: 4, tokensProven: "8700" });
    const byId = Object.fromEntries(status.sessions.list.map((s: { jobId: string }) => [s.jobId, s]));
    expect(byId[String(jobs.timeout)]).toMatchObject({
      status: "timed_out",
      token: "eth",
      tokensProven: "500",
      credited: { raw: net(500n, DEFAULT_NATIVE_PRICE).toString() },
    });
    expect(byId[String(jobs.usdc)]).toMatchObject({ status: "completed", token: "usdc", credited: { value: "0.018" } });
    expect(status.node.status).toBe("not-running");
    expect(status.warnings.map((w: { kind: string }) => w.kind)).toEqual(["host-stopped"]);

    const text = await h.run(["status"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("registered, active");
    expect(text.stdout).toContain("1 active · 2 completed · 1 timed out · 8700 tokens proven");
    expect(text.stdout).toContain(`${model.repo}:${model.file}`);
  });

  test("earnings: a ledger per session and per token from chain events, in human units, CSV too", async () => {
    const result = await h.run(["earnings", "--json"]);
    expect(result.code).toBe(0);
    const ledger = result.json().data;
    const byId = Object.fromEntries(ledger.sessions.map((s: { jobId: string }) => [s.jobId, s]));
    expect(byId[String(jobs.eth)]).toMatchObject({
      status: "completed",
      token: "eth",
      tokensProved: "4000",
      proofs: 2,
      credited: { raw: net(4000n, DEFAULT_NATIVE_PRICE).toString() },
    });
    expect(byId[String(jobs.usdc)]).toMatchObject({
      status: "completed",
      token: "usdc",
      tokensProved: "4000",
      proofs: 1,
      credited: { raw: "18000", value: "0.018" },
    });
    expect(byId[String(jobs.timeout)]).toMatchObject({ status: "timed_out", tokensProved: "500", proofs: 1 });
    expect(byId[String(jobs.open)]).toMatchObject({ status: "active", tokensProved: "200", credited: null });
    expect(ledger.totals.eth).toMatchObject({
      sessions: 2,
      tokensProved: "4500",
      credited: { raw: (await earned(ZeroAddress)).toString() },
      withdrawn: { raw: "0" },
    });
    expect(ledger.totals.usdc).toMatchObject({ sessions: 2, tokensProved: "4200", credited: { value: "0.018" }, outstanding: { value: "0.018" } });
    expect(ledger.reconciled).toBe(true);
    expect(ledger.onChain.usdc.value).toBe("0.018");

    const csv = await h.run(["earnings", "--csv"]);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      "type,job_id,token,status,tokens_proved,proofs,amount,amount_base_units,opened_at,settled_at,tx,billing,origin,payer,gas_eth,gas_wei,net,net_base_units",
    );
    expect(lines.find((l) => l.startsWith(`session,${jobs.usdc},usdc,completed,4000,1,0.018,18000,`))).toBeDefined();

    // The cache makes the next run incremental: it starts a few blocks below the last head.
    const again = (await h.run(["earnings", "--json"])).json().data;
    expect(again.scan.rebuilt).toBe(false);
    expect(again.scan.from).toBeGreaterThan(ledger.scan.to - 10);
    expect(again.sessions).toEqual(ledger.sessions);
  });

  test("withdraw --yes moves both balances to the host wallet and records the receipt", async () => {
    const ethBefore = await h.devnet.provider.getBalance(h.host);
    const usdcBefore = await usdcOf(h.host);
    const ethEarned = await earned(ZeroAddress);
    const usdcEarned = await earned(h.usdc);

    const result = await h.run(["withdraw", "--yes", "--json"]);
    expect(result.code).toBe(0);
    const receipt = result.json().data;
    expect(receipt.preview.method).toBe("withdrawMultiple");
    expect(receipt.withdrawn).toEqual({
      eth: { token: "eth", raw: ethEarned.toString(), value: expect.any(String) },
      usdc: { token: "usdc", raw: "18000", value: "0.018" },
    });
    expect(await earned(ZeroAddress)).toBe(0n);
    expect(await earned(h.usdc)).toBe(0n);
    expect(await usdcOf(h.host)).toBe(usdcBefore + usdcEarned);
    const chainReceipt = await h.devnet.provider.getTransactionReceipt(receipt.tx.hash);
    const fee = chainReceipt!.gasUsed * chainReceipt!.gasPrice;
    expect(receipt.tx.fee.raw).toBe(fee.toString());
    expect(await h.devnet.provider.getBalance(h.host)).toBe(ethBefore + ethEarned - fee);

    const history = readFileSync(join(h.configDir, "state", "withdrawals.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ tx: receipt.tx.hash, chainId: 31337, address: h.host, withdrawn: { usdc: { raw: "18000" } } });
  });

  test("withdraw --to sweeps what was withdrawn on to a cold address", async () => {
    jobs.second = await newSession(h, "USDC");
    jobs.third = await newSession(h, "ETH");
    await prove(h, jobs.second, 10_000);
    await prove(h, jobs.third, 10_000);
    await completeAsHost(h, jobs.second);
    await completeAsHost(h, jobs.third);
    const usdcEarned = await earned(h.usdc);
    const ethEarned = await earned(ZeroAddress);
    expect(usdcEarned).toBe(45_000n);

    const result = await h.run(["withdraw", "--yes", "--to", cold, "--json"]);
    expect(result.code).toBe(0);
    const receipt = result.json().data;
    expect(receipt.sweeps).toHaveLength(2);
    expect(await usdcOf(cold)).toBe(usdcEarned);
    expect(await h.devnet.provider.getBalance(cold)).toBe(ethEarned); // the host wallet has plenty of gas left
    expect(await earned(h.usdc)).toBe(0n);
    const usdcSweep = receipt.sweeps.find((s: { token: string }) => s.token === "usdc");
    expect(usdcSweep).toMatchObject({ to: cold, amount: { raw: "45000" }, skipped: null });
    expect((await h.devnet.provider.getTransactionReceipt(usdcSweep.tx))!.status).toBe(1);

    const ledger = (await h.run(["earnings", "--json"])).json().data;
    expect(ledger.withdrawals).toHaveLength(4); // two tokens, twice
    expect(ledger.totals.usdc.withdrawn.raw).toBe((18_000n + 45_000n).toString());
    expect(ledger.totals.usdc.outstanding.raw).toBe("0");
  });

  test("after unregistering (devnet contracts), status says so plainly and still exits 0", async () => {
    await (await fn(h.asHost.nodeRegistry, "unregisterNode")()).wait();
    const result = await h.run(["status", "--json"]);
    expect(result.code).toBe(0);
    const status = result.json().data;
    expect(status.registration.registered).toBe(false);
    expect(status.warnings.map((w: { kind: string }) => w.kind)).toContain("not-registered");
    expect(status.sessions.total).toBe(6); // history stays
    const text = await h.run(["status"]);
    expect(text.stdout).toContain("not registered");
    expect(text.stdout).toContain("fabstir-host register");
  });
});
