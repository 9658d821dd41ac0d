/**
 * The public port opens before the proof pipeline's recovery has walked the host's jobs on chain: a session arriving
 * meanwhile is served at once, and what the monitor saw is handed to the pipeline when recovery ends, so the session is
 * proven and settled like any other. The walk is held deterministically: an RPC gate in front of anvil keeps every
 * `hostSessions` call waiting until the test releases it. The session is opened by a delegate (the payer is the
 * client), on top of a seeded history of settled jobs.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, Interface, Wallet } from "ethers";
import { openSessionAsDelegate } from "../../../scripts/devnet/actions.ts";
import { seedSettledHistory } from "../../../scripts/devnet/history.ts";
import { connectChain, JOB_MARKETPLACE_ABI } from "../../../src/chain/index.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { createNullLogger } from "../../../src/ops/logging/logger.ts";
import { startSessionServices } from "../../../src/session/services.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { DEVNET_HOOK_TIMEOUT_MS, registerHost, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { FrameClient, makeModelDir, startSim } from "../node-sim/harness.ts";

const HOST_SESSIONS = new Interface(JOB_MARKETPLACE_ABI).getFunction("hostSessions")!.selector;
let devnet: TestDevnet;
let dir: string;
const model = makeModelDir();
const cleanups: (() => Promise<void> | void)[] = [];

/** Forwards JSON-RPC to anvil; requests that call hostSessions wait until release(). */
function startGate(upstream: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const body = await request.text();
      if (body.includes(HOST_SESSIONS.slice(2))) {
        held += 1;
        await released;
      }
      return fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, release, held: () => held, stop: () => server.stop(true) };
}

beforeAll(async () => {
  devnet = await startTestDevnet({ disputeWindow: 2 });
  await registerHost(devnet.deployment, devnet.provider);
  await seedSettledHistory(devnet.deployment, 50);
  dir = mkdtempSync(join(tmpdir(), "open-during-recovery-"));
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await devnet?.stop();
  model.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a session served while the walk is held is proven and settled once recovery ends", async () => {
  const { deployment } = devnet;
  const gate = startGate(devnet.rpcUrl);
  cleanups.push(() => gate.stop());
  const deploymentFile = join(dir, "deployment.json");
  writeFileSync(deploymentFile, JSON.stringify({ ...deployment, rpcUrl: gate.url }));
  const sim = await startSim({
    MODEL_PATH: model.modelPath,
    CHAIN_ID: "31337",
    RPC_URL: devnet.rpcUrl,
    CONTRACT_JOB_MARKETPLACE: deployment.contracts.jobMarketplace,
    SIM_CHECKPOINT_INTERVAL: "100",
    SIM_TOKENS_PER_PROMPT: "120",
    SIM_TOKEN_DELAY_MS: "1",
  });
  const config = resolveConfig(
    undefined,
    {},
    { network: "local", deploymentFile, rpcUrls: [gate.url], "node.signer": "cli", "proofs.graceSeconds": 1, "tx.pendingTimeoutSeconds": 30 },
  ).config as HostConfig;
  const chain = connectChain(config, {});
  const services = await startSessionServices({
    config,
    chain,
    signer: new Wallet(deployment.accounts.host.privateKey),
    stateDir: join(dir, "state"),
    nodeUrl: sim.baseUrl,
    hostname: "127.0.0.1",
    port: 0,
    clock: systemClock,
    fetch: (input, init) => fetch(input, init),
    logger: createNullLogger(),
  });
  cleanups.push(async () => {
    await services.stop({ drainMs: 0 });
    chain.close();
    await sim.kill();
  });
  let recovered = false;
  void services.recovery.then(() => (recovered = true));

  const jobId = await openSessionAsDelegate(deployment, devnet.provider, { proofInterval: 100 });
  const client = await FrameClient.connect(services.front.port);
  await client.waitFor((f) => f.type === "connected");
  client.send({ type: "session_init", session_id: "during-recovery", job_id: Number(jobId), chain_id: 31337 });
  await client.waitFor((f) => f.type === "session_init_ack");
  client.send({ type: "prompt", session_id: "during-recovery", prompt: "hello" });
  const end = await client.waitFor((f) => f.type === "stream_end", 15_000);
  await client.close();
  expect(Number(end.tokens_used)).toBe(120);
  expect(gate.held()).toBeGreaterThan(0);
  expect(recovered).toBe(false); // served while the walk waits at the gate

  gate.release();
  await services.recovery;
  const market = new Contract(deployment.contracts.jobMarketplace, JOB_MARKETPLACE_ABI, devnet.provider);
  let job = await market.getFunction("sessionJobs")(jobId);
  for (const until = Date.now() + 60_000; Number(job.status) === 0 && Date.now() < until; job = await market.getFunction("sessionJobs")(jobId))
    await Bun.sleep(200);
  expect([Number(job.status), Number(job.tokensUsed), job.depositor]).toEqual([1, 120, deployment.accounts.client.address]);
}, 120_000);
