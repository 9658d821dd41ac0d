/**
 * Typed ethers Contracts over the project's ABI fragments. Reads are called directly (`await registry.MIN_STAKE()`);
 * writes are never sent through the Contract: build the call with `populateTransaction` (or `interface.encodeFunctionData`)
 * and hand it to `TxSender.submit`, which journals, prices, signs and tracks it.
 */
import {
  type BaseContract,
  Contract,
  type AddressLike,
  type BaseContractMethod,
  type BigNumberish,
  type BytesLike,
  type ContractRunner,
  type ContractTransactionResponse,
  type Result,
} from "ethers";
import type { ContractAddresses } from "../config/types.ts";
import { ERC20_ABI, HOST_EARNINGS_ABI, JOB_MARKETPLACE_ABI, MODEL_REGISTRY_ABI, NODE_REGISTRY_ABI } from "./abi/index.ts";

type View<A extends unknown[], R> = BaseContractMethod<A, R, R>;
type Write<A extends unknown[]> = BaseContractMethod<A, void, ContractTransactionResponse>;
type Payable<A extends unknown[], R> = BaseContractMethod<A, R, ContractTransactionResponse>;

export interface Erc20Contract extends BaseContract {
  balanceOf: View<[account: AddressLike], bigint>;
  allowance: View<[owner: AddressLike, spender: AddressLike], bigint>;
  approve: Write<[spender: AddressLike, amount: BigNumberish]>;
  transfer: Write<[recipient: AddressLike, amount: BigNumberish]>;
  decimals: View<[], bigint>;
  symbol: View<[], string>;
}

/** `nodes(address)` / `getNodeFullInfo(address)` results; fields are also reachable by name on the Result. */
export type NodeRecord = Result & {
  operator: string;
  stakedAmount: bigint;
  active: boolean;
  metadata: string;
  apiUrl: string;
  minPricePerTokenNative: bigint;
  minPricePerTokenStable: bigint;
};
export type NodeFullInfo = NodeRecord & { supportedModels: string[] };

export interface NodeRegistryContract extends BaseContract {
  MIN_STAKE: View<[], bigint>;
  PRICE_PRECISION: View<[], bigint>;
  MIN_PRICE_PER_TOKEN_NATIVE: View<[], bigint>;
  MAX_PRICE_PER_TOKEN_NATIVE: View<[], bigint>;
  MIN_PRICE_PER_TOKEN_STABLE: View<[], bigint>;
  MAX_PRICE_PER_TOKEN_STABLE: View<[], bigint>;
  fabToken: View<[], string>;
  registerNode: Write<[metadata: string, apiUrl: string, modelIds: BytesLike[], minPricePerTokenNative: BigNumberish, minPricePerTokenStable: BigNumberish]>;
  nodes: View<[operator: AddressLike], NodeRecord>;
  getNodeFullInfo: View<[operator: AddressLike], NodeFullInfo>;
  isActiveNode: View<[operator: AddressLike], boolean>;
  getNodeModels: View<[node: AddressLike], string[]>;
  setModelTokenPricing: Write<[modelId: BytesLike, token: AddressLike, price: BigNumberish]>;
  clearModelTokenPricing: Write<[modelId: BytesLike, token: AddressLike]>;
  getModelPricing: View<[operator: AddressLike, modelId: BytesLike, token: AddressLike], bigint>;
  getHostModelPrices: View<[operator: AddressLike, token: AddressLike], Result & { modelIds: string[]; prices: bigint[] }>;
  updateApiUrl: Write<[newApiUrl: string]>;
  updateMetadata: Write<[newMetadata: string]>;
  updateSupportedModels: Write<[newModelIds: BytesLike[]]>;
  stake: Write<[amount: BigNumberish]>;
  unregisterNode: Write<[]>;
}

export type SessionJob = Result & {
  id: bigint;
  depositor: string;
  host: string;
  paymentToken: string;
  deposit: bigint;
  pricePerToken: bigint;
  tokensUsed: bigint;
  maxDuration: bigint;
  startTime: bigint;
  lastProofTime: bigint;
  proofInterval: bigint;
  proofTimeoutWindow: bigint;
  status: bigint;
  withdrawnByHost: bigint;
  refundedToUser: bigint;
  conversationCID: string;
  lastProofHash: string;
  lastProofCID: string;
};

export interface JobMarketplaceContract extends BaseContract {
  sessionJobs: View<[jobId: BigNumberish], SessionJob>;
  sessionModel: View<[jobId: BigNumberish], string>;
  nextJobId: View<[], bigint>;
  hostSessions: View<[host: AddressLike, index: BigNumberish], bigint>;
  submitProofOfWork: Write<[jobId: BigNumberish, tokensClaimed: BigNumberish, proofHash: BytesLike, proofCID: string, deltaCID: string]>;
  completeSessionJob: Write<[jobId: BigNumberish, conversationCID: string]>;
  triggerSessionTimeout: Write<[jobId: BigNumberish]>;
  disputeWindow: View<[], bigint>;
  feeBasisPoints: View<[], bigint>;
  MIN_PROVEN_TOKENS: View<[], bigint>;
  PRICE_PRECISION: View<[], bigint>;
  createSessionJobForModel: Payable<
    [
      host: AddressLike,
      modelId: BytesLike,
      pricePerToken: BigNumberish,
      maxDuration: BigNumberish,
      proofInterval: BigNumberish,
      proofTimeoutWindow: BigNumberish,
    ],
    bigint
  >;
  createSessionJobForModelWithToken: Payable<
    [
      host: AddressLike,
      modelId: BytesLike,
      token: AddressLike,
      deposit: BigNumberish,
      pricePerToken: BigNumberish,
      maxDuration: BigNumberish,
      proofInterval: BigNumberish,
      proofTimeoutWindow: BigNumberish,
    ],
    bigint
  >;
}

export interface HostEarningsContract extends BaseContract {
  getBalance: View<[host: AddressLike, token: AddressLike], bigint>;
  getBalances: View<[host: AddressLike, tokens: AddressLike[]], bigint[]>;
  withdraw: Write<[amount: BigNumberish, token: AddressLike]>;
  withdrawAll: Write<[token: AddressLike]>;
  withdrawMultiple: Write<[tokens: AddressLike[]]>;
  totalAccumulated: View<[token: AddressLike], bigint>;
}

export type ModelInfo = Result & { huggingfaceRepo: string; fileName: string; sha256Hash: string; approvalTier: bigint; active: boolean; timestamp: bigint };

export interface ModelRegistryContract extends BaseContract {
  getModelId: View<[repo: string, fileName: string], string>;
  getModel: View<[modelId: BytesLike], ModelInfo>;
  isModelApproved: View<[modelId: BytesLike], boolean>;
  getAllModels: View<[], string[]>;
  models: View<[modelId: BytesLike], ModelInfo>;
}

export interface FabstirContracts {
  nodeRegistry: NodeRegistryContract;
  jobMarketplace: JobMarketplaceContract;
  hostEarnings: HostEarningsContract;
  modelRegistry: ModelRegistryContract;
  fabToken: Erc20Contract;
  usdcToken: Erc20Contract;
}

export const erc20At = (address: string, runner: ContractRunner | null) => new Contract(address, ERC20_ABI, runner) as unknown as Erc20Contract;
export const nodeRegistryAt = (address: string, runner: ContractRunner | null) =>
  new Contract(address, NODE_REGISTRY_ABI, runner) as unknown as NodeRegistryContract;
export const jobMarketplaceAt = (address: string, runner: ContractRunner | null) =>
  new Contract(address, JOB_MARKETPLACE_ABI, runner) as unknown as JobMarketplaceContract;
export const hostEarningsAt = (address: string, runner: ContractRunner | null) =>
  new Contract(address, HOST_EARNINGS_ABI, runner) as unknown as HostEarningsContract;
export const modelRegistryAt = (address: string, runner: ContractRunner | null) =>
  new Contract(address, MODEL_REGISTRY_ABI, runner) as unknown as ModelRegistryContract;

/**
 * Every Fabstir contract of a network, connected to a provider (reads) or null (encoding only). Each is built on first
 * use: parsing an ABI costs a millisecond or more, and most commands touch two or three of the six.
 */
export function connectContracts(addresses: ContractAddresses, runner: ContractRunner | null): FabstirContracts {
  const makers: { [K in keyof FabstirContracts]: () => FabstirContracts[K] } = {
    nodeRegistry: () => nodeRegistryAt(addresses.nodeRegistry, runner),
    jobMarketplace: () => jobMarketplaceAt(addresses.jobMarketplace, runner),
    hostEarnings: () => hostEarningsAt(addresses.hostEarnings, runner),
    modelRegistry: () => modelRegistryAt(addresses.modelRegistry, runner),
    fabToken: () => erc20At(addresses.fabToken, runner),
    usdcToken: () => erc20At(addresses.usdcToken, runner),
  };
  const contracts = {} as FabstirContracts;
  for (const key of Object.keys(makers) as (keyof FabstirContracts)[]) {
    Object.defineProperty(contracts, key, {
      enumerable: true,
      configurable: true,
      get() {
        const contract = makers[key]();
        Object.defineProperty(contracts, key, { value: contract, enumerable: true, writable: false });
        return contract;
      },
    });
  }
  return contracts;
}

/** The zero address stands for ETH in pricing and earnings calls. */
export const NATIVE_TOKEN = "0x0000000000000000000000000000000000000000";
