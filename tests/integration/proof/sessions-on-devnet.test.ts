/**
 * Sessions and proofs end to end on real processes: the devnet (anvil + the project's contracts), the node stand-in as
 * a child process, the session front, and the proof pipeline on the journaled sender, in both signer modes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, Wallet } from "ethers";
import { startTestDevnet, registerHost, openSession, DEVNET_HOOK_TIMEOUT_MS, type TestDevnet } from "../../helpers/devnet.ts";
import { FrameClient, makeModelDir, startSim, type SimProcess } from "../node-sim/harness.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import { connectChain, JOB_MARKETPLACE_ABI, type ChainClient } from "../../../src/chain/index.ts";
import { startSessionServices, type SessionServices } from "../../../src/session/services.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { createNullLogger } from "../../../src/ops/logging/logger.ts";
import type { HostConfig } from "../../../src/config/types.ts";

let devnet: TestDevnet;
let deploymentFile: string;
const model = makeModelDir();
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  devnet = await startTestDevnet({ disputeWindow: 2 });
  await registerHost(devnet.deployment, devnet.provider);
  const dir = mkdtempSync(join(tmpdir(), "proof-devnet-"));
  deploymentFile = join(dir, "deployment.json");
  writeFileSync(deploymentFile, JSON.stringify(devnet.deployment));
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await devnet?.stop();
  model.cleanup();
});

interface Host {
  sim: SimProcess & { port: number; baseUrl: string };
  services: SessionServices;
  chain: ChainClient;
  stateDir: string;
}

async function startHost(signer: "node" | "cli", simEnv: Record<string, string> = {}): Promise<Host> {
  const { deployment } = devnet;
  const env: Record<string, string> = {
    MODEL_PATH: model.modelPath,
    CHAIN_ID: "31337",
    RPC_URL: devnet.rpcUrl,
    CONTRACT_JOB_MARKETPLACE: deployment.contracts.jobMarketplace,
    SIM_CHECKPOINT_INTERVAL: "100",
    SIM_TOKENS_PER_PROMPT: "120",
    SIM_TOKEN_DELAY_MS: "1",
    SIM_SETTLE_TIMEOUT_MS: "30000",
    ...simEnv,
  };
  if (signer === "node") env.HOST_PRIVATE_KEY = deployment.accounts.host.privateKey;
  const sim = await startSim(env);
  const config = resolveConfig(
    undefined,
    {},
    { network: "local", deploymentFile, "node.signer": signer, "proofs.graceSeconds": 3, "tx.pendingTimeoutSeconds": 30 },
  ).config as HostConfig;
  const chain = connectChain(config, {});
  const stateDir = mkdtempSync(join(tmpdir(), `host-state-${signer}-`));
  const services = await startSessionServices({
    config,
    chain,
    signer: new Wallet(deployment.accounts.host.privateKey),
    stateDir,
    nodeUrl: sim.baseUrl,
    hostname: "127.0.0.1",
    port: 0,
    clock: systemClock,
    fetch: (input, init) => fetch(input, init),
    logger: createNullLogger(),
  });
  const host = { sim, services, chain, stateDir };
  cleanups.push(async () => {
    await services.stop({ drainMs: 0 });
    chain.close();
    await sim.kill();
  });
  return host;
}

async function chat(host: Host, jobId: bigint, sessionId: string, prompts: number): Promise<number> {
  const client = await FrameClient.connect(host.services.front.port);
  await client.waitFor((f) => f.type === "connected");
  client.send({ type: "session_init", session_id: sessionId, job_id: Number(jobId), chain_id: 31337 });
  await client.waitFor((f) => f.type === "session_init_ack");
  let tokens = 0;
  for (let i = 0; i < prompts; i++) {
    const from = client.frames.length;
    client.send({ type: "prompt", session_id: sessionId, prompt: `question ${i}` });
    const end = await client.waitFor((f) => f.type === "stream_end", 15_000, from);
    tokens += Number(end.tokens_used);
  }
  await client.close();
  return tokens;
}

async function waitForSettlement(jobId: bigint, timeoutMs = 60_000): Promise<{ status: number; tokensUsed: number }> {
  const market = new Contract(devnet.deployment.contracts.jobMarketplace, JOB_MARKETPLACE_ABI, devnet.provider);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await market.getFunction("sessionJobs")(jobId);
    if (Number(job.status) !== 0 || Date.now() > until) return { status: Number(job.status), tokensUsed: Number(job.tokensUsed) };
    await Bun.sleep(250);
  }
}

async function proofEvents(jobId: bigint): Promise<{ tokens: number; from: string }[]> {
  const market = new Contract(devnet.deployment.contracts.jobMarketplace, JOB_MARKETPLACE_ABI, devnet.provider);
  const logs = await market.queryFilter(market.filters.ProofSubmitted!(), 0, "latest");
  const out: { tokens: number; from: string }[] = [];
  for (const log of logs) {
    const parsed = market.interface.parseLog(log)!;
    if (parsed.args.getValue("jobId") !== jobId) continue;
    const tx = await devnet.provider.getTransaction(log.transactionHash);
    out.push({ tokens: Number(parsed.args.getValue("tokensClaimed")), from: tx!.from });
  }
  return out;
}

describe("cli signer: the CLI proves and settles every session", () => {
  test("ETH and USDC sessions: every due proof lands once, and the session is completed", async () => {
    const host = await startHost("cli");
    const eth = await openSession(devnet.deployment, devnet.provider, { token: "ETH", proofInterval: 100 });
    const usdc = await openSession(devnet.deployment, devnet.provider, { token: "USDC", proofInterval: 100 });
    const [ethTokens, usdcTokens] = await Promise.all([chat(host, eth, "cli-eth", 3), chat(host, usdc, "cli-usdc", 2)]);
    for (const [jobId, generated] of [
      [eth, ethTokens],
      [usdc, usdcTokens],
    ] as const) {
      const settled = await waitForSettlement(jobId);
      expect(settled.status).toBe(1);
      const events = await proofEvents(jobId);
      // Everything provable was proven: all of it, since each remainder here is ≥ 100 tokens.
      expect(events.reduce((sum, e) => sum + e.tokens, 0)).toBe(settled.tokensUsed);
      expect(settled.tokensUsed).toBe(generated);
      expect(events.every((e) => e.from === devnet.deployment.accounts.host.address)).toBe(true);
    }
  }, 120_000);
});

describe("node signer: the node proves; the CLI is the safety net", () => {
  test("a healthy node proves and settles by itself; the CLI sends nothing", async () => {
    const host = await startHost("node");
    const jobId = await openSession(devnet.deployment, devnet.provider, { token: "ETH", proofInterval: 100 });
    await chat(host, jobId, "node-ok", 2);
    const settled = await waitForSettlement(jobId);
    expect(settled.status).toBe(1);
    expect(settled.tokensUsed).toBe(200); // the node proves whole checkpoints of 100
    const intents = host.services.pipeline.snapshot();
    expect(intents.flatMap((r) => r.proofs)).toEqual([]);
  }, 120_000);

  test("when the node crashes mid-session, the CLI proves what it served and settles", async () => {
    const host = await startHost("node", { SIM_CRASH_AFTER_TOKENS: "250", SIM_TOKENS_PER_PROMPT: "400" });
    const jobId = await openSession(devnet.deployment, devnet.provider, { token: "ETH", proofInterval: 100 });
    const client = await FrameClient.connect(host.services.front.port);
    await client.waitFor((f) => f.type === "connected");
    client.send({ type: "session_init", session_id: "node-crash", job_id: Number(jobId), chain_id: 31337 });
    await client.waitFor((f) => f.type === "session_init_ack");
    client.send({ type: "prompt", session_id: "node-crash", prompt: "a long answer" });
    expect(await client.closed()).toBe(1012);
    const served = client.framesOfType("stream_chunk").reduce((sum, f) => sum + Number(f.tokens), 0);
    const settled = await waitForSettlement(jobId);
    expect(settled.status).toBe(1);
    // Nothing provable is left unpaid: the node's own proofs plus the CLI's cover every token it streamed, but for a
    // tail under the contract's 100-token minimum (the node's second proof waits on the rate rule, so the CLI gets 150).
    expect(settled.tokensUsed).toBeGreaterThan(served - 100);
    expect(settled.tokensUsed).toBeLessThanOrEqual(served);
    const events = await proofEvents(jobId);
    expect(events.reduce((sum, e) => sum + e.tokens, 0)).toBe(settled.tokensUsed);
  }, 120_000);
});
