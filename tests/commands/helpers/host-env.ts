/**
 * A host on a devnet, driven through the real command line in-process: its own config directory (network local, the
 * devnet's deployment file, a public URL, models), its key imported with `wallet import --stdin` into an in-memory
 * keychain, and direct chain reads to check what the commands did.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet, toBeHex, type Contract } from "ethers";
import { makeTestContext, runCli, scriptedPrompter, type CliResult } from "../../helpers/context.ts";
import { devnetContracts, devnetWallet, type Deployment, type TestDevnet } from "../../helpers/devnet.ts";
import { rpc } from "../../../scripts/devnet/rpc.ts";
import { createMemoryKeyringClient, type KeyringClient } from "../../../src/wallet/keyring-client.ts";
import type { Prompter } from "../../../src/util/prompter-types.ts";
import type { HostServices } from "../../../src/context.ts";
import type { FetchFn } from "../../../src/context.ts";

export const TEST_HARDWARE = { gpu: "NVIDIA GeForce RTX 4090", vram: 24, ram: 64 };

export interface DevnetAccountKey {
  address: string;
  privateKey: string;
}

export interface RunOptions {
  tty?: boolean;
  prompter?: Prompter;
  stdinText?: string;
  services?: Partial<HostServices>;
  /** Extra environment variables for the run. */
  env?: Record<string, string>;
  /** The run's fetch (to watch what it posts). */
  fetch?: FetchFn;
}

export interface HostEnv {
  devnet: TestDevnet;
  home: string;
  account: DevnetAccountKey;
  configDir: string;
  keyring: KeyringClient;
  /** Runs `fabstir-host <argv> --config-dir <dir>` in-process. */
  run(argv: string[], options?: RunOptions): Promise<CliResult>;
  config(): any;
  writeConfig(patch: Record<string, unknown>): void;
  nonce(): Promise<number>;
  contracts: ReturnType<typeof devnetContracts>;
  models: Deployment["models"];
  ref(index: number): string;
}

/** A new key with ETH, FAB and USDC (minted by the deployer), so each test has a host of its own. */
export async function fundedAccount(devnet: TestDevnet, funds: { eth?: bigint; fab?: bigint; usdc?: bigint } = {}): Promise<DevnetAccountKey> {
  const wallet = Wallet.createRandom();
  const { fabToken, usdcToken } = devnetContracts(devnet.deployment, devnetWallet(devnet.deployment.accounts.deployer, devnet.provider));
  await rpc(devnet.rpcUrl, "anvil_setBalance", [wallet.address, toBeHex(funds.eth ?? 10n ** 18n)]);
  if ((funds.fab ?? 5000n * 10n ** 18n) > 0n) await (await fabToken.getFunction("mint")(wallet.address, funds.fab ?? 5000n * 10n ** 18n)).wait();
  if ((funds.usdc ?? 0n) > 0n) await (await usdcToken.getFunction("mint")(wallet.address, funds.usdc!)).wait();
  return { address: wallet.address, privateKey: wallet.privateKey };
}

export interface HostEnvOptions {
  account?: DevnetAccountKey;
  config?: Record<string, unknown>;
  /** Keep the key in a keystore file (low scrypt cost under the test runner) unlocked with this password file. */
  keystorePasswordFile?: string;
}

export async function hostEnv(devnet: TestDevnet, options: HostEnvOptions = {}): Promise<HostEnv> {
  const account = options.account ?? devnet.deployment.accounts.host;
  const home = mkdtempSync(join(tmpdir(), "fabstir-hostops-"));
  const configDir = join(home, "fabstir");
  mkdirSync(configDir, { recursive: true });
  const deploymentFile = join(home, "deployment.json");
  writeFileSync(deploymentFile, JSON.stringify(devnet.deployment));
  const keyring = createMemoryKeyringClient();
  const models = devnet.deployment.models;
  const configFile = join(configDir, "config.json");
  // The models' files are there: register puts on chain only models a node will serve (src/host/registration/served.ts).
  mkdirSync(join(configDir, "models"), { recursive: true });
  for (const model of models) writeFileSync(join(configDir, "models", model.file), "GGUF placeholder");
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      network: "local",
      deploymentFile,
      rpcUrls: [devnet.rpcUrl],
      publicUrl: "http://127.0.0.1:8080",
      models: models.map((m) => `${m.repo}:${m.file}`),
      ...options.config,
    }),
  );
  const env: HostEnv = {
    devnet,
    home,
    account,
    configDir,
    keyring,
    contracts: devnetContracts(devnet.deployment, devnet.provider) as ReturnType<typeof devnetContracts>,
    models,
    ref: (index) => `${models[index]!.repo}:${models[index]!.file}`,
    async run(argv, runOptions = {}) {
      const context = makeTestContext({
        env: { HOME: home, NO_COLOR: "1", FABSTIR_TEST_SCRYPT_N: "1024", ...runOptions.env },
        tty: runOptions.tty ?? false,
        stdinText: runOptions.stdinText,
        prompter: runOptions.prompter ?? scriptedPrompter(),
        services: { keyring, hardware: TEST_HARDWARE, ...runOptions.services },
        ...(runOptions.fetch ? { fetch: runOptions.fetch } : {}),
      });
      return runCli([...argv, "--config-dir", configDir], context);
    },
    config: () => JSON.parse(readFileSync(configFile, "utf8")),
    writeConfig(patch) {
      writeFileSync(configFile, JSON.stringify({ ...env.config(), ...patch }));
    },
    nonce: () => devnet.provider.getTransactionCount(account.address),
  };
  const backend = options.keystorePasswordFile ? ["--backend", "keystore", "--password-file", options.keystorePasswordFile] : ["--backend", "keychain"];
  const imported = await env.run(["wallet", "import", "--stdin", ...backend, "--json"], { stdinText: `${account.privateKey}\n` });
  if (imported.code !== 0) throw new Error(`wallet import failed: ${imported.stdout}${imported.stderr}`);
  return env;
}

/** The registry's view of a host, for assertions. */
export async function nodeInfo(env: HostEnv, address = env.account.address) {
  const info = await (env.contracts.nodeRegistry as Contract).getFunction("getNodeFullInfo")(address);
  return {
    operator: String(info[0]),
    stake: BigInt(info[1]),
    active: Boolean(info[2]),
    metadata: String(info[3]),
    apiUrl: String(info[4]),
    models: [...info[5]].map(String),
  };
}

/** getModelPricing, or 0 when the registry has none for the pair. */
export async function chainPrice(env: HostEnv, modelId: string, token: "eth" | "usdc", address = env.account.address): Promise<bigint> {
  const tokenAddress = token === "eth" ? "0x0000000000000000000000000000000000000000" : env.devnet.deployment.contracts.usdcToken;
  try {
    return BigInt(await (env.contracts.nodeRegistry as Contract).getFunction("getModelPricing")(address, modelId, tokenAddress));
  } catch {
    return 0n;
  }
}

/** A fresh funded host, registered through `register --yes` (config overrides apply before registering). */
export async function registeredHost(devnet: TestDevnet, config: Record<string, unknown> = {}): Promise<HostEnv> {
  const env = await hostEnv(devnet, { account: await fundedAccount(devnet), config });
  const result = await env.run(["register", "--yes"]);
  if (result.code !== 0) throw new Error(`register failed: ${result.stderr}`);
  return env;
}
