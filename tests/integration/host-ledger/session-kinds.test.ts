/**
 * Sessions of every kind the marketplace opens, counted by the real `earnings` and `status` commands on the devnet:
 * from a deposit (SessionCreatedByDepositor), by a delegate (SessionCreatedByDelegate: the payer, not the delegate, is
 * the depositor), a depositor's early cancel (credited minTokensFee × price / 1000, no proof, no treasury cut) and a
 * session billed at its proofInterval floor. Rules: fabstir-compute-contracts@faa3621
 * src/JobMarketplaceWithModelsUpgradeable.sol (createSessionFromDepositForModel, createSessionForModelAsDelegate,
 * _settleSessionPayments, submitProofOfWork "Low first").
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZeroAddress } from "ethers";
import { openSessionAsDelegate, openSessionFromDeposit } from "../../../scripts/devnet/actions.ts";
import { DEFAULT_NATIVE_PRICE, DEFAULT_STABLE_PRICE, DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { completeAsHost, fn, newSession, prove, startLedgerHost, type LedgerHost } from "./harness.ts";

const MIN_TOKENS_FEE = 250;
let h: LedgerHost;
const jobs: Record<string, bigint> = {};

beforeAll(async () => {
  h = await startLedgerHost({ minTokensFee: MIN_TOKENS_FEE });
  await h.setUp();
  const { deployment, provider } = h.devnet;
  jobs.deposit = await openSessionFromDeposit(deployment, provider, { proofInterval: 100 });
  jobs.delegate = await openSessionAsDelegate(deployment, provider, { proofInterval: 100 });
  jobs.early = await newSession(h, "ETH");
  jobs.minimum = await openSessionFromDeposit(deployment, provider, { token: "USDC", proofInterval: 400 });
  await prove(h, jobs.deposit, 1500);
  await prove(h, jobs.delegate, 900);
  await prove(h, jobs.minimum, 400);
  await completeAsHost(h, jobs.deposit);
  await completeAsHost(h, jobs.delegate);
  await completeAsHost(h, jobs.minimum);
  await (await fn(h.asClient.jobMarketplace, "completeSessionJob")(jobs.early, "cancelled")).wait();
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => h?.stop());

const net = (tokens: bigint, price: bigint) => {
  const gross = (tokens * price) / 1000n;
  return gross - gross / 10n;
};

describe("the ledger counts every kind of session", () => {
  test("earnings --json: origin, payer, billing and the credited amounts per session", async () => {
    const result = await h.run(["earnings", "--json"]);
    expect(result.code).toBe(0);
    const rows = result.json().data.sessions as Array<Record<string, unknown> & { jobId: string; credited: { raw: string } }>;
    const row = (job: bigint) => rows.find((r) => r.jobId === job.toString())!;
    const client = h.devnet.deployment.accounts.client.address;
    const delegate = h.devnet.deployment.accounts.deployer.address;

    expect(row(jobs.deposit!)).toMatchObject({ origin: "deposit", payer: client, delegate: null, billing: "tokens", status: "completed", proofs: 1 });
    expect(row(jobs.deposit!).credited.raw).toBe(net(1500n, DEFAULT_NATIVE_PRICE).toString());
    expect(row(jobs.delegate!)).toMatchObject({ origin: "delegate", payer: client, delegate, billing: "tokens", token: "usdc" });
    expect(row(jobs.delegate!).credited.raw).toBe(net(900n, DEFAULT_STABLE_PRICE).toString());
    // The early cancel: no proof, the fee credited whole (no treasury cut).
    expect(row(jobs.early!)).toMatchObject({ origin: "direct", billing: "early-cancel", proofs: 0, tokensProved: "0" });
    expect(row(jobs.early!).credited.raw).toBe(((BigInt(MIN_TOKENS_FEE) * DEFAULT_NATIVE_PRICE) / 1000n).toString());
    expect(row(jobs.minimum!)).toMatchObject({ origin: "deposit", billing: "minimum", tokensProved: "400" });
    expect(row(jobs.minimum!).credited.raw).toBe(net(400n, DEFAULT_STABLE_PRICE).toString());

    // Every credit is the host's: the totals equal what HostEarnings holds.
    const data = result.json().data;
    expect(data.totals.eth.credited.raw).toBe((await fn(h.asHost.hostEarnings, "getBalance")(h.host, ZeroAddress)).toString());
    expect(data.totals.usdc.credited.raw).toBe((await fn(h.asHost.hostEarnings, "getBalance")(h.host, h.usdc)).toString());
  });

  test("earnings (text and CSV) name the early cancel and the minimum-billed session", async () => {
    const text = await h.run(["earnings"]);
    expect(text.code).toBe(0);
    const line = (job: bigint) => text.stdout.split("\n").find((l) => l.trimStart().startsWith(`${job} `))!;
    expect(line(jobs.early!)).toContain("early cancel");
    expect(line(jobs.minimum!)).toContain("minimum");
    expect(line(jobs.delegate!)).toContain("delegate");
    const csv = (await h.run(["earnings", "--csv"])).stdout.split("\n");
    expect(csv.find((l) => l.startsWith(`session,${jobs.early},`))).toContain(`,early-cancel,direct,${h.devnet.deployment.accounts.client.address},`);
  });

  test("status --json lists the same sessions with their payer and billing", async () => {
    const result = await h.run(["status", "--json"]);
    expect(result.code).toBe(0);
    const list = result.json().data.sessions.list as Array<{ jobId: string; payer: string; billing: string | null; status: string }>;
    const of = (job: bigint) => list.find((r) => r.jobId === job.toString())!;
    expect(of(jobs.delegate!)).toMatchObject({ payer: h.devnet.deployment.accounts.client.address, billing: "tokens" });
    expect(of(jobs.early!)).toMatchObject({ billing: "early-cancel", status: "completed" });
    expect(of(jobs.minimum!)).toMatchObject({ billing: "minimum" });
  });
});
