/**
 * The host's and the client's moves on a devnet, for tests and demos: contract handles,
 * registering a host with prices, opening a session. Plain ethers v6 calls, the same a
 * real client would make.
 */
import {
  Contract,
  JsonRpcProvider,
  Network,
  Wallet,
  ZeroAddress,
  type ContractRunner,
  type TransactionReceipt,
} from "ethers";
import { DEVNET_CHAIN_ID } from "./anvil.ts";
import type { Deployment, DevnetAccount } from "./types.ts";

/** Native price per token (wei x 1000): 3,000,000 = 3000 wei (3e-15 ETH) per token. */
export const DEFAULT_NATIVE_PRICE = 3_000_000n;
/** Stable price per token (USDC base units x 1000): 5000 = $5 per million tokens. */
export const DEFAULT_STABLE_PRICE = 5_000n;

/**
 * A provider tuned for a local chain: no network probing, no batching delay, fast
 * polling, and no 250 ms result cache (ethers' default), which would hand out a stale
 * nonce to a second transaction sent right after the first, or after an evm_revert.
 */
export function devnetProvider(rpcUrl: string): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, Network.from(DEVNET_CHAIN_ID), {
    staticNetwork: true,
    batchMaxCount: 1,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
}

export interface DevnetContracts {
  jobMarketplace: Contract;
  nodeRegistry: Contract;
  hostEarnings: Contract;
  modelRegistry: Contract;
  proofSystem: Contract;
  fabToken: Contract;
  usdcToken: Contract;
}

/** Every devnet contract, bound to `runner` (a provider for reads, a wallet for writes). */
export function devnetContracts(deployment: Deployment, runner: ContractRunner): DevnetContracts {
  const { contracts: c, abis } = deployment;
  return {
    jobMarketplace: new Contract(c.jobMarketplace, abis.JobMarketplaceWithModels, runner),
    nodeRegistry: new Contract(c.nodeRegistry, abis.NodeRegistryWithModels, runner),
    hostEarnings: new Contract(c.hostEarnings, abis.HostEarnings, runner),
    modelRegistry: new Contract(c.modelRegistry, abis.ModelRegistry, runner),
    proofSystem: new Contract(c.proofSystem, abis.ProofSystem, runner),
    fabToken: new Contract(c.fabToken, abis.TestToken, runner),
    usdcToken: new Contract(c.usdcToken, abis.TestToken, runner),
  };
}

export function devnetWallet(account: DevnetAccount, provider: JsonRpcProvider): Wallet {
  return new Wallet(account.privateKey, provider);
}

export interface RegisterHostOptions {
  /** Defaults to the deployment's host account. */
  account?: DevnetAccount;
  /** Model ids; default: every approved devnet model. */
  modelIds?: string[];
  apiUrl?: string;
  metadata?: string;
  nativePrice?: bigint;
  stablePrice?: bigint;
  /** Also set per-model prices for ETH and USDC (default true). Without them sessions revert. */
  setPrices?: boolean;
}

/** approve + registerNode (+ setModelTokenPricing for each model and both tokens). */
export async function registerHost(
  deployment: Deployment,
  provider: JsonRpcProvider,
  opts: RegisterHostOptions = {},
): Promise<void> {
  const wallet = devnetWallet(opts.account ?? deployment.accounts.host, provider);
  const { nodeRegistry, fabToken } = devnetContracts(deployment, wallet);
  const modelIds = opts.modelIds ?? deployment.models.map((m) => m.id);
  const nativePrice = opts.nativePrice ?? DEFAULT_NATIVE_PRICE;
  const stablePrice = opts.stablePrice ?? DEFAULT_STABLE_PRICE;
  // publicKey, as `fabstir-host register` publishes it: clients encrypt their sessions to it.
  const metadata = opts.metadata ?? JSON.stringify({ hardware: { gpu: "devnet-gpu", vram: 24 }, publicKey: wallet.signingKey.compressedPublicKey });

  await (await fabToken.getFunction("approve")(deployment.contracts.nodeRegistry, 10n ** 21n)).wait();
  const register = nodeRegistry.getFunction("registerNode");
  await (await register(metadata, opts.apiUrl ?? "http://127.0.0.1:8080", modelIds, nativePrice, stablePrice)).wait();
  if (opts.setPrices === false) return;
  const setPrice = nodeRegistry.getFunction("setModelTokenPricing");
  for (const modelId of modelIds) {
    await (await setPrice(modelId, ZeroAddress, nativePrice)).wait();
    await (await setPrice(modelId, deployment.contracts.usdcToken, stablePrice)).wait();
  }
}

export interface OpenSessionOptions {
  /** "ETH" (native, default) or "USDC". */
  token?: "ETH" | "USDC";
  /** Defaults to the deployment's client account. */
  account?: DevnetAccount;
  /** Defaults to the deployment's host account. */
  host?: string;
  /** Defaults to the first devnet model. */
  modelId?: string;
  /** Wei for ETH (default 0.001 ETH), base units for USDC (default 2 USDC). */
  deposit?: bigint;
  pricePerToken?: bigint;
  maxDuration?: number;
  proofInterval?: number;
  proofTimeoutWindow?: number;
}

/** Creates a session as the client would and returns its job id. */
export async function openSession(
  deployment: Deployment,
  provider: JsonRpcProvider,
  opts: OpenSessionOptions = {},
): Promise<bigint> {
  const wallet = devnetWallet(opts.account ?? deployment.accounts.client, provider);
  const { jobMarketplace, usdcToken } = devnetContracts(deployment, wallet);
  const host = opts.host ?? deployment.accounts.host.address;
  const modelId = opts.modelId ?? deployment.models[0]!.id;
  const maxDuration = opts.maxDuration ?? 3600;
  const proofInterval = opts.proofInterval ?? 100;
  const proofTimeoutWindow = opts.proofTimeoutWindow ?? 300;

  if (opts.token === "USDC") {
    const deposit = opts.deposit ?? 2_000_000n;
    await (await usdcToken.getFunction("approve")(deployment.contracts.jobMarketplace, deposit)).wait();
    const create = jobMarketplace.getFunction("createSessionJobForModelWithToken");
    const price = opts.pricePerToken ?? DEFAULT_STABLE_PRICE;
    const args = [host, modelId, deployment.contracts.usdcToken, deposit, price, maxDuration, proofInterval, proofTimeoutWindow];
    return jobIdFrom(jobMarketplace, await (await create(...args)).wait());
  }
  const deposit = opts.deposit ?? 10n ** 15n;
  const create = jobMarketplace.getFunction("createSessionJobForModel");
  const price = opts.pricePerToken ?? DEFAULT_NATIVE_PRICE;
  const tx = await create(host, modelId, price, maxDuration, proofInterval, proofTimeoutWindow, { value: deposit });
  return jobIdFrom(jobMarketplace, await tx.wait());
}

function jobIdFrom(jobMarketplace: Contract, receipt: TransactionReceipt | null): bigint {
  for (const log of receipt?.logs ?? []) {
    const parsed = jobMarketplace.interface.parseLog(log);
    if (parsed?.name === "SessionJobCreated") return parsed.args.getValue("jobId") as bigint;
  }
  throw new Error("no SessionJobCreated event in the receipt");
}
