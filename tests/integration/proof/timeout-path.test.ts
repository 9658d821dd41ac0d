/**
 * Clients that vanish: the host process is killed (-9) while a session is open, the client never comes back, and the
 * chain's clock runs past the session's proofTimeoutWindow or maxDuration before the host is back. The restarted host
 * gets proven work paid: it completes what its journal knows, and times out (triggerSessionTimeout) what only the chain
 * still shows. A job opened while the host was down, with nothing proven, is not completed under its client.
 * (cli signer: the stand-in is keyless, so every transaction is the host process's.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "../../../scripts/devnet/anvil.ts";
import { mine, openSession, DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { startSim, type SimProcess } from "../node-sim/harness.ts";
import {
  hostEarnings,
  netEarnings,
  proofEvents,
  readJob,
  settlementBlock,
  simEnvFor,
  startProofDevnet,
  transactionsFrom,
  waitForJob,
  waitForSettlement,
  type ProofDevnet,
} from "./fixtures/devnet-host.ts";
import { startHostProcess, type HostProcess } from "./fixtures/host-runner.ts";
import { runClient } from "./fixtures/sessions.ts";

let net: ProofDevnet;
let sim: SimProcess & { port: number; baseUrl: string };
const hosts: HostProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  net = await startProofDevnet({ disputeWindow: 2 });
  sim = await startSim(simEnvFor(net, "cli"));
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  for (const host of hosts) await host.kill();
  await sim?.kill();
  await net?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "host-timeout-"));
  dirs.push(dir);
  return dir;
}

async function startHost(dir: string, port: number): Promise<HostProcess> {
  const host = await startHostProcess({
    stateDir: dir,
    port,
    nodeUrl: sim.baseUrl,
    deploymentFile: net.deploymentFile,
    hostKey: net.devnet.deployment.accounts.host.privateKey,
  });
  hosts.push(host);
  return host;
}

/** A session that proves `tokens` worth of whole intervals, then its client goes silent and the host is killed. */
async function sessionCutOff(dir: string, jobId: bigint, sessionId: string, tokens: number): Promise<void> {
  const port = await findFreePort();
  const host = await startHost(dir, port);
  const { client } = await runClient(port, sessionId, { type: "session_init", job_id: Number(jobId) }, [tokens], { closeAtEnd: false });
  expect(client).toBeDefined(); // open, and never closed by the client
  await waitForJob(net, jobId, (job) => job.tokensUsed === Math.floor(tokens / 100) * 100, 10_000);
  await host.kill();
  await client!.closed(); // the kill took the socket down: the client is gone without a word
}

describe("the host restarts while a session is open, and the session's time runs out meanwhile", () => {
  test("proofTimeoutWindow passed: the restarted host settles on its journal; the proven tokens are paid", async () => {
    const dir = stateDir();
    const jobId = await openSession(net.devnet.deployment, net.devnet.provider, { proofInterval: 100, proofTimeoutWindow: 60 });
    const before = await hostEarnings(net, "ETH");
    await sessionCutOff(dir, jobId, "vanished-window", 250);
    await mine(net.devnet.rpcUrl, 61); // the proofs are overdue: anyone may time the session out now
    const host = await startHost(dir, await findFreePort());
    const job = await waitForSettlement(net, jobId, 20_000);
    // 200 proven mid-session; the 50 after the last interval are under the contract's minimum.
    expect(job.tokensUsed).toBe(200);
    const events = await proofEvents(net, jobId);
    expect(events.at(-1)!.cumulative).toBe(200);
    expect(events.every((e) => e.cumulative % 100 === 0)).toBe(true);
    expect((await settlementBlock(net, jobId)).by).toBe(net.devnet.deployment.accounts.host.address);
    expect((await hostEarnings(net, "ETH")) - before).toBe(netEarnings(job));
    expect(netEarnings(job)).toBeGreaterThan(0n);
    expect(host.alerts()).toEqual([]);
    await host.kill();
  }, 40_000);

  test("maxDuration passed and the journal lost: the job is found on chain and timed out; the proven tokens are paid", async () => {
    const jobId = await openSession(net.devnet.deployment, net.devnet.provider, {
      token: "USDC",
      proofInterval: 100,
      maxDuration: 90,
      proofTimeoutWindow: 3600,
    });
    const before = await hostEarnings(net, "USDC");
    await sessionCutOff(stateDir(), jobId, "vanished-duration", 300);
    await mine(net.devnet.rpcUrl, 91);
    // A new disk: nothing in the journal; only the chain knows this host has an active session.
    const host = await startHost(stateDir(), await findFreePort());
    const job = await waitForSettlement(net, jobId, 20_000);
    expect(job.status).toBe(2); // timed out
    expect(job.tokensUsed).toBe(300);
    const settled = await settlementBlock(net, jobId);
    expect([settled.kind, settled.by]).toEqual(["timed_out", net.devnet.deployment.accounts.host.address]);
    expect((await hostEarnings(net, "USDC")) - before).toBe(netEarnings(job));
    const sent = await transactionsFrom(net, net.devnet.deployment.accounts.host.address);
    // Proofs while the session ran, then one timeout by the restarted host, and nothing else.
    const methods = sent.filter((tx) => tx.jobId === jobId).map((tx) => tx.method);
    expect(methods.at(-1)).toBe("triggerSessionTimeout");
    expect(methods.slice(0, -1).every((method) => method === "submitProofOfWork")).toBe(true);
    expect(sent.filter((tx) => tx.status !== 1)).toEqual([]);
    await host.kill();
  }, 40_000);
});

describe("a job opened while the host was down", () => {
  test("with nothing proven it is left to its client (who then uses it), or to the timeout once that passes", async () => {
    const used = await openSession(net.devnet.deployment, net.devnet.provider, { proofInterval: 100, proofTimeoutWindow: 60 });
    const abandoned = await openSession(net.devnet.deployment, net.devnet.provider, { proofInterval: 100, proofTimeoutWindow: 60 });
    const port = await findFreePort();
    const dir = stateDir();
    const host = await startHost(dir, port);
    await Bun.sleep(3500); // past the 2 s dispute window: a completion would have come by now
    expect((await readJob(net, used)).status).toBe(0);
    expect((await readJob(net, abandoned)).status).toBe(0);
    // The client of one arrives and uses it: its session proves and completes it.
    const { run } = await runClient(port, "late-client", { type: "session_init", job_id: Number(used) }, [100]);
    expect(run.received).toBe(100);
    const job = await waitForSettlement(net, used, 15_000);
    expect([job.status, job.tokensUsed]).toEqual([1, 100]);
    // The other never comes: once its proofs are overdue the host times it out (a restart re-reads the chain's time).
    await mine(net.devnet.rpcUrl, 61);
    await host.kill();
    const again = await startHost(dir, port);
    const timedOut = await waitForSettlement(net, abandoned, 15_000);
    expect([timedOut.status, timedOut.tokensUsed]).toEqual([2, 0]);
    expect(again.alerts()).toEqual([]);
    await again.kill();
  }, 40_000);
});
