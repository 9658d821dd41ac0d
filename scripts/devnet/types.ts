/** Shapes shared by the devnet scripts and the tests that use them. */
import type { ContractAddresses } from "../../src/config/types.ts";

/** Contracts the devnet deploys (TestToken is deployed twice: FAB and USDC). */
export const CONTRACT_NAMES = ["TestToken", "ModelRegistry", "NodeRegistryWithModels", "HostEarnings", "ProofSystem", "JobMarketplaceWithModels"] as const;

export type ContractName = (typeof CONTRACT_NAMES)[number];

// ABI entries are plain JSON as solc emits them; ethers accepts them as they are.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AbiEntry = any;

export interface CompiledContract {
  abi: AbiEntry[];
  /** 0x-prefixed creation bytecode. */
  bytecode: string;
}

export type Artifacts = Record<ContractName, CompiledContract>;

export interface DevnetAccount {
  address: string;
  /** One of anvil's well-known development keys: public knowledge, never a real secret. */
  privateKey: string;
}

export interface DevnetModel {
  /** bytes32 id, = ModelRegistry.getModelId(repo, file). */
  id: string;
  repo: string;
  file: string;
  /** 0x-prefixed SHA-256 of fakeModelBytes(repo, file), as registered on chain. */
  sha256: string;
}

export interface Deployment {
  chainId: number;
  rpcUrl: string;
  /** The same shape the host's config uses (the `local` network reads it from here). proofSystem is a real, small
   *  ProofSystem giving proof-hash replay protection, as live. */
  contracts: ContractAddresses;
  accounts: {
    /** Owner of every contract, slashing authority and treasury. */
    deployer: DevnetAccount;
    /** Funded with ETH, FAB and USDC; not registered. */
    host: DevnetAccount;
    /** Funded with ETH, FAB and USDC; opens sessions. */
    client: DevnetAccount;
  };
  models: DevnetModel[];
  /** Seconds the host waits after the last proof before it may complete a session. */
  disputeWindow: number;
  abis: Record<ContractName, AbiEntry[]>;
}
