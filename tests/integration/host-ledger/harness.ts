/**
 * A devnet host for the status / earnings / withdraw tests: the devnet with the host registered by the devnet helper,
 * a private config directory (network local + the deployment file) whose host key lives in an in-memory keychain,
 * `run(argv)` for in-process CLI runs, and the host's and client's on-chain moves (prove, complete, time out).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { id as hashOf, type Contract } from "ethers";
import { makeTestContext, runCli, type CliResult, type TestContextOptions } from "../../helpers/context.ts";
import {
  devnetContracts,
  devnetWallet,
  increaseTime,
  latestTimestamp,
  mine,
  openSession,
  registerHost,
  setNextBlockTimestamp,
  startTestDevnet,
  type TestDevnet,
} from "../../helpers/devnet.ts";
import { createMemoryKeyringClient, type KeyringClient } from "../../../src/wallet/keyring-client.ts";

export interface LedgerHost {
  devnet: TestDevnet;
  dir: string;
  configDir: string;
  deploymentFile: string;
  keyring: KeyringClient;
  host: string;
  usdc: string;
  asHost: ReturnType<typeof devnetContracts>;
  asClient: ReturnType<typeof devnetContracts>;
  asOwner: ReturnType<typeof devnetContracts>;
  run(argv: string[], options?: TestContextOptions): Promise<CliResult>;
  /** Writes the host's config (network local) and imports the host key into the memory keychain. */
  setUp(options?: { rpcUrls?: string[]; config?: Record<string, unknown> }): Promise<void>;
  /** Replaces the config file (the wallet entry is kept). */
  writeConfig(raw: Record<string, unknown>): void;
  stop(): Promise<void>;
}

export async function startLedgerHost(options: { register?: boolean; disputeWindow?: number; minTokensFee?: number } = {}): Promise<LedgerHost> {
  const devnet = await startTestDevnet({ disputeWindow: options.disputeWindow ?? 2, minTokensFee: options.minTokensFee });
  const dir = mkdtempSync(join(tmpdir(), "host-ledger-"));
  try {
    if (options.register !== false) await registerHost(devnet.deployment, devnet.provider);
    const deploymentFile = join(dir, "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(devnet.deployment));
    const { accounts } = devnet.deployment;
    const keyring = createMemoryKeyringClient();
    const configDir = join(dir, "fabstir");
    const harness: LedgerHost = {
      devnet,
      dir,
      configDir,
      deploymentFile,
      keyring,
      host: accounts.host.address,
      usdc: devnet.deployment.contracts.usdcToken,
      asHost: devnetContracts(devnet.deployment, devnetWallet(accounts.host, devnet.provider)),
      asClient: devnetContracts(devnet.deployment, devnetWallet(accounts.client, devnet.provider)),
      asOwner: devnetContracts(devnet.deployment, devnetWallet(accounts.deployer, devnet.provider)),
      async run(argv, runOptions = {}) {
        const context = makeTestContext({ env: { HOME: dir, NO_COLOR: "1" }, ...runOptions, services: { keyring, ...(runOptions.services ?? {}) } });
        return runCli([...argv, "--config-dir", configDir], context);
      },
      writeConfig(raw) {
        const path = join(configDir, "config.json");
        const wallet = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")).wallet : undefined;
        mkdirSync(configDir, { recursive: true, mode: 0o700 });
        writeFileSync(path, JSON.stringify({ version: 1, ...raw, ...(wallet ? { wallet } : {}) }, null, 2), { mode: 0o600 });
      },
      async setUp(setup = {}) {
        harness.writeConfig({ network: "local", deploymentFile, ...(setup.rpcUrls ? { rpcUrls: setup.rpcUrls } : {}), ...setup.config });
        const imported = await harness.run(["wallet", "import", "--stdin", "--backend", "keychain"], { stdinText: `${accounts.host.privateKey}\n` });
        if (imported.code !== 0) throw new Error(`wallet import failed: ${imported.stderr}`);
      },
      async stop() {
        await devnet.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return harness;
  } catch (error) {
    await devnet.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

const fn = (contract: Contract, name: string) => contract.getFunction(name);

export async function newSession(h: LedgerHost, token: "ETH" | "USDC", options: { maxDuration?: number; proofTimeoutWindow?: number } = {}): Promise<bigint> {
  return openSession(h.devnet.deployment, h.devnet.provider, { token, ...options });
}

let proofCounter = 0;

/** A proof of `tokens` tokens by the host, `seconds` after the previous one (rate limit: 2000 tokens a second). */
export async function prove(h: LedgerHost, jobId: bigint, tokens: number, seconds = 10): Promise<void> {
  const job = await fn(h.asHost.jobMarketplace, "sessionJobs")(jobId);
  const last = Number(job.lastProofTime);
  const now = await latestTimestamp(h.devnet.rpcUrl);
  await setNextBlockTimestamp(h.devnet.rpcUrl, Math.max(now + 1, last + seconds));
  proofCounter += 1;
  await (
    await fn(h.asHost.jobMarketplace, "submitProofOfWork")(
      jobId,
      tokens,
      hashOf(`ledger-proof-${jobId}-${proofCounter}-${Date.now()}`),
      `bafyproof${proofCounter}`,
      "",
    )
  ).wait();
}

/** The host completes the session once the dispute window after the last proof has passed. */
export async function completeAsHost(h: LedgerHost, jobId: bigint): Promise<void> {
  await increaseTime(h.devnet.rpcUrl, h.devnet.deployment.disputeWindow + 1);
  await (await fn(h.asHost.jobMarketplace, "completeSessionJob")(jobId, "bafyconversation")).wait();
}

/** Anyone may time out a session whose proofs are overdue. */
export async function timeOut(h: LedgerHost, jobId: bigint, seconds: number): Promise<void> {
  await mine(h.devnet.rpcUrl, seconds);
  await (await fn(h.asClient.jobMarketplace, "triggerSessionTimeout")(jobId)).wait();
}

export { fn };
