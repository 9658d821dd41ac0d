/**
 * The RPC goes away while sessions make checkpoints due: a proxy the test controls sits between the host and anvil
 * and answers 503, then resets connections, then passes again. Every proof goes through afterwards, once. And the
 * nastier case: the RPC takes a proof's transaction but fails every receipt lookup while the transaction waits to be
 * mined; the pipeline carries that same proof through rather than claiming the tokens again in a new one.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openSession, DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { rpc } from "../../../scripts/devnet/rpc.ts";
import { startRpcProxy, type RpcProxy } from "../chain/fixtures/rpc-proxy.ts";
import {
  openClient,
  promptAll,
  readJob,
  simEnvFor,
  startInProcessHost,
  startProofDevnet,
  transactionsFrom,
  waitForJob,
  waitForSettlement,
  type InProcessHost,
  type ProofDevnet,
} from "./fixtures/devnet-host.ts";
import { expectProvenExactlyOnce, nodeTokens } from "./fixtures/sessions.ts";

let net: ProofDevnet;
let proxy: RpcProxy;
let host: InProcessHost;

beforeAll(async () => {
  net = await startProofDevnet({ disputeWindow: 2 });
  proxy = await startRpcProxy(net.devnet.rpcUrl);
  // The host reaches the chain only through the proxy; the test's own reads and the client's sessions go direct.
  host = await startInProcessHost(net, { signer: "cli", simEnv: simEnvFor(net, "cli"), config: { rpcUrls: [proxy.url] } });
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await host?.stop();
  await proxy?.close();
  await net?.stop();
});

async function hostNonces(): Promise<{ latest: number; pending: number }> {
  const address = net.devnet.deployment.accounts.host.address;
  const [latest, pending] = await Promise.all([
    net.devnet.provider.getTransactionCount(address, "latest"),
    net.devnet.provider.getTransactionCount(address, "pending"),
  ]);
  return { latest, pending };
}

describe("the RPC down for a while", () => {
  test("503s, then connection resets, while checkpoints fall due and sessions end: afterwards every proof lands once", async () => {
    proxy.mode = "pass";
    const jobs: bigint[] = [];
    for (const token of ["ETH", "USDC", "ETH"] as const)
      jobs.push(await openSession(net.devnet.deployment, net.devnet.provider, { token, proofInterval: 100 }));
    const sessions = ["outage-a", "outage-b", "outage-c"];
    const clients = await Promise.all(
      jobs.map((jobId, i) => openClient(host.services.front.port, sessions[i]!, { type: "session_init", job_id: Number(jobId) })),
    );
    // Before the outage: one interval proven each.
    await Promise.all(clients.map((client, i) => promptAll(client, sessions[i]!, [150])));
    for (const jobId of jobs) await waitForJob(net, jobId, (job) => job.tokensUsed === 100, 10_000);

    proxy.mode = "http-503";
    proxy.reset();
    // During it: more checkpoints fall due; two of the sessions end (their remainders and settlements fall due too).
    await Promise.all([promptAll(clients[0]!, sessions[0]!, [250]), promptAll(clients[1]!, sessions[1]!, [170]), promptAll(clients[2]!, sessions[2]!, [20])]);
    await Promise.all([clients[1]!.close(), clients[2]!.close()]);
    await Bun.sleep(2500);
    proxy.mode = "reset";
    await Bun.sleep(1500);
    for (const jobId of jobs) expect((await readJob(net, jobId)).tokensUsed).toBe(100); // nothing got through
    expect(proxy.httpRequests).toBeGreaterThan(0); // the host kept trying

    proxy.mode = "pass";
    await clients[0]!.close();
    for (const [i, jobId] of jobs.entries()) {
      await waitForSettlement(net, jobId, 40_000);
      await expectProvenExactlyOnce(net, { jobId, interval: 100, generated: await nodeTokens(host.sim.baseUrl, sessions[i]!), label: sessions[i]! });
    }
    expect((await readJob(net, jobs[0]!)).tokensUsed).toBe(400);
    expect((await readJob(net, jobs[1]!)).tokensUsed).toBe(320);
    expect((await readJob(net, jobs[2]!)).tokensUsed).toBe(100); // a tail of 70 is under the minimum
    const sent = await transactionsFrom(net, net.devnet.deployment.accounts.host.address);
    expect(sent.filter((tx) => tx.status !== 1)).toEqual([]);
    expect(host.alerts).toEqual([]); // an outage is retried, not given up on
  }, 60_000);
});

describe("receipts fail after the broadcast", () => {
  test("a proof whose receipt cannot be read is carried through, not claimed again by a new one", async () => {
    proxy.mode = "pass";
    const jobId = await openSession(net.devnet.deployment, net.devnet.provider, { proofInterval: 100 });
    const client = await openClient(host.services.front.port, "receipts", { type: "session_init", job_id: Number(jobId) });
    const before = await hostNonces();
    // Transactions now wait in the mempool (as on a real chain between blocks) and no receipt can be read.
    await rpc(net.devnet.rpcUrl, "evm_setAutomine", [false]);
    proxy.failMethods.add("eth_getTransactionReceipt");
    try {
      await promptAll(client, "receipts", [150]); // a proof of 100 falls due, is sent, and its receipt fails
      await Bun.sleep(2500);
      expect(await hostNonces()).toEqual({ latest: before.latest, pending: before.latest + 1 });
      // More tokens, and the end of the session: a new claim would prove those same 100 tokens a second time.
      await promptAll(client, "receipts", [150]);
      await client.close();
      await Bun.sleep(3000);
      expect(await hostNonces()).toEqual({ latest: before.latest, pending: before.latest + 1 });
    } finally {
      proxy.failMethods.clear();
      await rpc(net.devnet.rpcUrl, "evm_setAutomine", [true]);
      await rpc(net.devnet.rpcUrl, "evm_mine", []);
    }
    const job = await waitForSettlement(net, jobId, 40_000);
    expect([job.status, job.tokensUsed]).toEqual([1, 300]); // the 100 in flight, then the remaining 200
    await expectProvenExactlyOnce(net, { jobId, interval: 100, generated: await nodeTokens(host.sim.baseUrl, "receipts"), label: "receipts" });
    const sent = await transactionsFrom(net, net.devnet.deployment.accounts.host.address);
    expect(sent.filter((tx) => tx.status !== 1)).toEqual([]);
  }, 60_000);
});
