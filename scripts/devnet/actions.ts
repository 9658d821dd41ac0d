/**
 * The host's and the client's moves on a devnet, for tests and demos: contract handles,
 * registering a host with prices, opening a session. Plain ethers v6 calls, the same a
 * real client would make.
 */
import { Contract, JsonRpcProvider, Network, Wallet, ZeroAddress, type ContractRunner, type TransactionReceipt } from "ethers";
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
export async function registerHost(deployment: Deployment, provider: JsonRpcProvider, opts: RegisterHostOptions = {}): Promise<void> {
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
export async function openSession(deployment: Deployment, provider: JsonRpcProvider, opts: OpenSessionOptions = {}): Promise<bigint> {
  const wallet = devnetWallet(opts.account ?? deployment.accounts.client, provider);
  const { jobMarketplace, usdcToken } = devnetContracts(deployment, wallet);
  const t = sessionTerms(deployment, opts);

  if (opts.token === "USDC") {
    await (await usdcToken.getFunction("approve")(deployment.contracts.jobMarketplace, t.deposit)).wait();
    const create = jobMarketplace.getFunction("createSessionJobForModelWithToken");
    const args = [t.host, t.modelId, deployment.contracts.usdcToken, t.deposit, t.price, t.maxDuration, t.proofInterval, t.proofTimeoutWindow];
    return jobIdFrom(jobMarketplace, await (await create(...args)).wait());
  }
  const create = jobMarketplace.getFunction("createSessionJobForModel");
  const tx = await create(t.host, t.modelId, t.price, t.maxDuration, t.proofInterval, t.proofTimeoutWindow, { value: t.deposit });
  return jobIdFrom(jobMarketplace, await tx.wait());
}

/**
 * Deposits into the marketplace (depositNative / depositToken) and opens a session paid from that balance
 * (createSessionFromDepositForModel): the client account is the depositor; events SessionJobCreated,
 * SessionCreatedByDepositor, SessionJobCreatedForModel. `deposited` tops the balance up by more than the session
 * takes (default: exactly the session's deposit; 0: use what is there).
 */
export async function openSessionFromDeposit(
  deployment: Deployment,
  provider: JsonRpcProvider,
  opts: OpenSessionOptions & { deposited?: bigint } = {},
): Promise<bigint> {
  const wallet = devnetWallet(opts.account ?? deployment.accounts.client, provider);
  const { jobMarketplace, usdcToken } = devnetContracts(deployment, wallet);
  const t = sessionTerms(deployment, opts);
  const topUp = opts.deposited ?? t.deposit;
  const token = opts.token === "USDC" ? deployment.contracts.usdcToken : ZeroAddress;
  if (topUp > 0n && opts.token === "USDC") {
    await (await usdcToken.getFunction("approve")(deployment.contracts.jobMarketplace, topUp)).wait();
    await (await jobMarketplace.getFunction("depositToken")(token, topUp)).wait();
  } else if (topUp > 0n) {
    await (await jobMarketplace.getFunction("depositNative")({ value: topUp })).wait();
  }
  const create = jobMarketplace.getFunction("createSessionFromDepositForModel");
  const args = [t.modelId, t.host, token, t.deposit, t.price, t.maxDuration, t.proofInterval, t.proofTimeoutWindow];
  return jobIdFrom(jobMarketplace, await (await create(...args)).wait());
}

/**
 * A payer (default: the client account) authorises a delegate (default: the deployer account), approves USDC, and
 * the delegate opens a USDC session the payer pays for (createSessionForModelAsDelegate): the session's depositor is
 * the payer, not the sender. Events SessionJobCreated, SessionJobCreatedForModel, SessionCreatedByDelegate.
 */
export async function openSessionAsDelegate(
  deployment: Deployment,
  provider: JsonRpcProvider,
  opts: Omit<OpenSessionOptions, "token"> & { delegate?: DevnetAccount } = {},
): Promise<bigint> {
  const payer = devnetWallet(opts.account ?? deployment.accounts.client, provider);
  const delegate = devnetWallet(opts.delegate ?? deployment.accounts.deployer, provider);
  const asPayer = devnetContracts(deployment, payer);
  const market = devnetContracts(deployment, delegate).jobMarketplace;
  const t = sessionTerms(deployment, { ...opts, token: "USDC" });
  if (!(await asPayer.jobMarketplace.getFunction("isDelegateAuthorized")(payer.address, delegate.address))) {
    await (await asPayer.jobMarketplace.getFunction("authorizeDelegate")(delegate.address, true)).wait();
  }
  await (await asPayer.usdcToken.getFunction("approve")(deployment.contracts.jobMarketplace, t.deposit)).wait();
  const create = market.getFunction("createSessionForModelAsDelegate");
  const args = [payer.address, t.modelId, t.host, deployment.contracts.usdcToken, t.deposit, t.price, t.maxDuration, t.proofInterval, t.proofTimeoutWindow];
  return jobIdFrom(market, await (await create(...args)).wait());
}

/** The options with their defaults filled in: 0.001 ETH or 2 USDC, the default prices, 1 h, 100 tokens, 300 s. */
function sessionTerms(deployment: Deployment, opts: OpenSessionOptions) {
  const usdc = opts.token === "USDC";
  return {
    host: opts.host ?? deployment.accounts.host.address,
    modelId: opts.modelId ?? deployment.models[0]!.id,
    deposit: opts.deposit ?? (usdc ? 2_000_000n : 10n ** 15n),
    price: opts.pricePerToken ?? (usdc ? DEFAULT_STABLE_PRICE : DEFAULT_NATIVE_PRICE),
    maxDuration: opts.maxDuration ?? 3600,
    proofInterval: opts.proofInterval ?? 100,
    proofTimeoutWindow: opts.proofTimeoutWindow ?? 300,
  };
}

function jobIdFrom(jobMarketplace: Contract, receipt: TransactionReceipt | null): bigint {
  for (const log of receipt?.logs ?? []) {
    const parsed = jobMarketplace.interface.parseLog(log);
    if (parsed?.name === "SessionJobCreated") return parsed.args.getValue("jobId") as bigint;
  }
  throw new Error("no SessionJobCreated event in the receipt");
}
