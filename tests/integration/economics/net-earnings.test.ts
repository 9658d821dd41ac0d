/**
 * After a devnet run, `earnings --json` shows per job credited, gas and net, and its gas totals equal, to the wei,
 * the sum over every receipt the host's address has on the chain (read block by block here, independently of the
 * gas ledger). The run: the host registers and prices through registerHost (scripts/devnet/actions.ts); one price
 * change goes through the CLI's journaled sender; proofs and settlements go straight from the host key, as the node
 * sends them; one proof goes through the journaled sender, as the CLI signer sends it; a client times one session
 * out. Losing the state directory rebuilds the same figures from the chain (every host transaction here emitted an
 * event).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { id as hashOf, Interface, JsonRpcProvider, toQuantity, Wallet } from "ethers";
import { DEVNET_HOOK_TIMEOUT_MS, latestTimestamp, setNextBlockTimestamp } from "../../helpers/devnet.ts";
import { completeAsHost, fn, newSession, prove, startLedgerHost, timeOut, type LedgerHost } from "../host-ledger/harness.ts";
import { connectChain } from "../../../src/chain/index.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { JOB_MARKETPLACE_ABI } from "../../../src/chain/abi/index.ts";

let h: LedgerHost;
const jobs: Record<string, bigint> = {};

beforeAll(async () => {
  h = await startLedgerHost();
  await h.setUp();
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => h?.stop());

/**
 * A proof sent through the CLI's journaled sender (as the proof pipeline sends it in CLI-signer mode, key
 * `proof:<jobId>:<cumulative>`, src/proof/pipeline.ts): found both in the journal and as a ProofSubmitted event.
 */
async function journaledProof(jobId: bigint, tokens: number, cumulative: number): Promise<string> {
  const config = resolveConfig(undefined, {}, { network: "local", deploymentFile: h.deploymentFile }).config as HostConfig;
  const chain = connectChain(config);
  try {
    const sender = await chain.sender(new Wallet(h.devnet.deployment.accounts.host.privateKey), join(h.configDir, "state"), { autoRecover: false });
    const job = await fn(h.asHost.jobMarketplace, "sessionJobs")(jobId);
    await setNextBlockTimestamp(h.devnet.rpcUrl, Math.max((await latestTimestamp(h.devnet.rpcUrl)) + 1, Number(job.lastProofTime) + 10));
    const data = new Interface(JOB_MARKETPLACE_ABI).encodeFunctionData("submitProofOfWork", [
      jobId,
      tokens,
      hashOf(`journaled-${jobId}-${cumulative}`),
      "bafyjournaled",
      "",
    ]);
    const result = await sender.submit({
      key: `proof:${jobId}:${cumulative}`,
      to: h.devnet.deployment.contracts.jobMarketplace,
      data,
      description: `proof of ${tokens} tokens for job ${jobId}`,
    });
    return result.hash.toLowerCase();
  } finally {
    chain.close();
  }
}

/** Every transaction the host sent, from the blocks themselves: hash → { fee, to }. */
async function hostReceipts(): Promise<Map<string, bigint>> {
  const provider = new JsonRpcProvider(h.devnet.rpcUrl, undefined, { staticNetwork: true });
  try {
    const latest = await provider.getBlockNumber();
    const fees = new Map<string, bigint>();
    for (let n = 0; n <= latest; n++) {
      const block = (await provider.send("eth_getBlockByNumber", [toQuantity(n), true])) as { transactions: Array<{ hash: string; from: string }> };
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() !== h.host.toLowerCase()) continue;
        const receipt = (await provider.send("eth_getTransactionReceipt", [tx.hash])) as { gasUsed: string; effectiveGasPrice: string; l1Fee?: string };
        fees.set(tx.hash.toLowerCase(), BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice) + BigInt(receipt.l1Fee ?? 0));
      }
    }
    return fees;
  } finally {
    provider.destroy();
  }
}

describe("earnings with gas on the devnet", () => {
  test("per job credited, gas and net; totals equal the host's receipts to the wei", async () => {
    const priced = await h.run(["pricing", "set", "--eth", "0.000000000002", "--yes", "--json"]);
    expect(priced.code).toBe(0);
    jobs.eth = await newSession(h, "ETH");
    jobs.usdc = await newSession(h, "USDC");
    jobs.timeout = await newSession(h, "ETH", { proofTimeoutWindow: 60 });
    await prove(h, jobs.eth, 3000);
    await prove(h, jobs.eth, 1000);
    await prove(h, jobs.usdc, 2000);
    const journaled = await journaledProof(jobs.usdc, 1000, 3000);
    await prove(h, jobs.timeout, 500);
    await completeAsHost(h, jobs.eth);
    await completeAsHost(h, jobs.usdc);
    await timeOut(h, jobs.timeout, 120); // sent by the client: not the host's gas

    const result = await h.run(["earnings", "--json"]);
    expect(result.code).toBe(0);
    const report = result.json().data;
    const receipts = await hostReceipts();
    const chainTotal = [...receipts.values()].reduce((a, b) => a + b, 0n);

    expect(report.net.totals.transactions).toBe(receipts.size);
    expect(report.net.totals.gas.raw).toBe(chainTotal.toString());
    const kinds = report.net.gasByKind;
    expect(kinds.proof.transactions).toBe(5);
    expect(kinds.settlement.transactions).toBe(2);
    expect(kinds.approve.transactions).toBe(1);
    expect(kinds.register.transactions).toBe(1);
    expect(kinds.pricing.transactions).toBeGreaterThanOrEqual(3); // registerHost's per-model prices and the CLI's change
    expect(kinds.timeout).toBeUndefined();

    const gasOf = (jobId: bigint) => report.net.jobs.find((j: { jobId: string }) => j.jobId === jobId.toString());
    const eth = gasOf(jobs.eth);
    const ethSession = report.sessions.find((s: { jobId: string }) => s.jobId === jobs.eth!.toString());
    expect(eth.transactions).toBe(3);
    expect(BigInt(eth.net.raw)).toBe(BigInt(ethSession.credited.raw) - BigInt(eth.gas.raw));
    expect(gasOf(jobs.timeout).transactions).toBe(1); // its one proof
    expect(gasOf(jobs.usdc).net).toBeNull(); // no ETH/USD rate: USDC and gas are not added up
    expect(gasOf(jobs.usdc).transactions).toBe(3); // two proofs (one journaled, counted once) and the settlement
    const ledgerFile = JSON.parse(readFileSync(join(h.configDir, "state", "gas-ledger", `31337-${h.host.toLowerCase()}.json`), "utf8"));
    expect(ledgerFile.entries[journaled]).toMatchObject({ kind: "proof", jobId: jobs.usdc!.toString(), source: "journal" });
    const ethCredited = BigInt(report.totals.eth.credited.raw);
    expect(report.net.totals.netEth.raw).toBe((ethCredited - chainTotal).toString());
    expect(report.net.totals.netUsd).toBeNull();

    const csv = await h.run(["earnings", "--csv"]);
    expect(csv.stdout.split("\n")[0]).toEndWith(",gas_eth,gas_wei,net,net_base_units");
    expect(csv.stdout).toContain(`session,${jobs.eth},`);
  });

  test("status shows gross, gas and net from the ledgers on disk, without more round trips", async () => {
    const earnings = (await h.run(["earnings", "--json"])).json().data;
    const status = (await h.run(["status", "--json"])).json().data;
    expect(status.net).toMatchObject({
      gas: { raw: earnings.net.totals.gas.raw },
      netEth: { raw: earnings.net.totals.netEth.raw },
      credited: { eth: { raw: earnings.totals.eth.credited.raw } },
    });
    expect(status.rpc.roundTrips).toBeLessThanOrEqual(2);
    expect((await h.run(["status"])).stdout).toContain("Net");
  });

  test("with economics.ethUsd, USDC sessions get a net and the total is in USD", async () => {
    const set = await h.run(["config", "set", "economics.ethUsd", "3000"]);
    expect(set.code).toBe(0);
    const report = (await h.run(["earnings", "--json"])).json().data;
    expect(report.net.ethUsd).toBe(3000);
    expect(report.net.totals.netUsd).not.toBeNull();
    expect(report.net.jobs.find((j: { jobId: string }) => j.jobId === jobs.usdc!.toString()).net.token).toBe("usdc");
  });

  test("with the state directory gone, the gas ledger is rebuilt from the chain to the same total", async () => {
    const before = (await h.run(["earnings", "--json"])).json().data.net.totals.gas.raw;
    expect(existsSync(join(h.configDir, "state", "tx-journal"))).toBe(true); // the journal goes too
    rmSync(join(h.configDir, "state"), { recursive: true, force: true });
    const after = (await h.run(["earnings", "--json"])).json().data.net;
    expect(after.totals.gas.raw).toBe(before);
    expect(after.gasByKind.pricing.transactions).toBeGreaterThanOrEqual(3);
  });
});
