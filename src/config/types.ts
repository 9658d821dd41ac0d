/**
 * The configuration's shape (version 1). The typanion schema in schema.ts validates exactly this; keep them together.
 * Nothing secret lives here: the wallet is an address and the name of the store that holds its key.
 */
export type NetworkName = "base-sepolia" | "base-mainnet" | "local" | "custom";
export type PaymentTokenName = "eth" | "usdc";

export interface ContractAddresses {
  jobMarketplace: string;
  nodeRegistry: string;
  hostEarnings: string;
  modelRegistry: string;
  proofSystem: string;
  fabToken: string;
  usdcToken: string;
}

export interface ModelPrices {
  /** Contract units (wei × PRICE_PRECISION per token), as a decimal string: bigints don't survive JSON. */
  eth?: string;
  /** Contract units (USDC base units × PRICE_PRECISION per token), as a decimal string. */
  usdc?: string;
}

/** One node: the model (`repo:file`) it loads and the GPUs (indices, as nvidia-smi numbers them) it runs on. */
export interface NodeInstanceConfig {
  model: string;
  gpus: number[];
  gpuLayers?: number;
  contextLength?: number;
}

export interface HostConfig {
  version: number;
  network: NetworkName;
  /** Primary first, then fallbacks. */
  rpcUrls: string[];
  chainId: number;
  /** Overrides; missing entries come from the network preset (or the devnet deployment file for `local`). */
  contracts: Partial<ContractAddresses>;
  /** For the `local` network: the deployment file written by `bun run devnet`. */
  deploymentFile: string | null;
  wallet: { address: string; backend: "keychain" | "keystore" } | null;
  publicUrl: string | null;
  /** Models this host serves, as `repo:file`. */
  models: string[];
  /** Per model (`repo:file`) and per token. `"*"` holds the default for every model. */
  prices: Record<string, ModelPrices>;
  host: { location: string | null; maxConcurrent: number };
  node: {
    /** Installed build in use (see `node use`); null = the newest installed. */
    version: string | null;
    /** Run this binary instead of an installed build (development, the stand-in in tests). */
    binaryPath: string | null;
    /** Who signs checkpoints: the node (it holds the key) or this CLI (keyless node). */
    signer: "node" | "cli";
    /** The node listens here, on loopback; the public port is served by the session front. */
    internalPort: number;
    /** Public API port (HTTP + WebSocket) clients connect to. */
    apiPort: number;
    p2pPort: number;
    gpuLayers: number;
    contextLength: number;
    batchSize: number;
    /** The model file the node loads; null = the first model's file under the models directory. */
    modelPath: string | null;
    extraEnv: Record<string, string>;
    manifestUrl: string | null;
    logLevel: string;
    /** Which node serves which model on which GPUs; null = planned from GPU detection (src/node/instances/plan.ts). */
    instances?: NodeInstanceConfig[] | null;
  };
  s5: { url: string | null };
  tx: { confirmations: number; maxFeeGwei: number; gasMarginPercent: number; pendingTimeoutSeconds: number };
  /** The gas-aware keys are always filled by the loader; configs built by hand may leave them out (every interval). */
  proofs: { graceSeconds: number; minValueToGas?: number; maxUnprovenIntervals?: number };
  /** The public port (optional in the type: configurations written before it existed resolve it from defaults). */
  front?: { maxFrameBytes: number };
  logging: { level: "error" | "warn" | "info" | "debug"; maxSizeMb: number; maxFiles: number };
  metrics: { enabled: boolean; listen: string };
  alerts: { webhookUrl: string | null; format: "json" | "slack" | "discord" | "telegram"; telegramChatId: string | null; minEthProofs: number };
  modelHost: { baseUrl: string };
  updates: { check: boolean };
  /** USD per ETH, set by the operator, to add USDC and ETH amounts up; null: never added (nothing is fetched). */
  /** Optional in the type, like front: configurations written before it existed resolve it from defaults. */
  economics?: { ethUsd: number | null; minJobValue?: string | null };
}
