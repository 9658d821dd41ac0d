/**
 * Network presets and their resolution against the config. The preset gives chain id, default RPC and contract
 * addresses; the config overrides any of them. Only `base-sepolia` has published addresses: `base-mainnet` refuses to
 * run until the config names every contract, `local` reads the devnet's deployment file and `custom` takes everything
 * from the config.
 */
import { NETWORK_DEFAULTS } from "../config/network-defaults.ts";
import { readFileSync } from "node:fs";
import type { ContractAddresses, HostConfig, NetworkName } from "../config/types.ts";
import { ChainErrors } from "../errors/codes/chain.ts";
import { HostError } from "../errors/host-error.ts";

export interface ResolvedNetwork {
  name: NetworkName;
  /** For people: "Base Sepolia". */
  label: string;
  chainId: number;
  /** Primary first, then fallbacks. */
  rpcUrls: string[];
  contracts: ContractAddresses;
  /** Block explorer base URL, when the network has one. */
  explorerUrl: string | null;
}

export const CONTRACT_KEYS = ["jobMarketplace", "nodeRegistry", "hostEarnings", "modelRegistry", "proofSystem", "fabToken", "usdcToken"] as const;

interface Preset {
  label: string;
  chainId: number;
  rpcUrls: string[];
  contracts: Partial<ContractAddresses>;
  explorerUrl: string | null;
}

/** The live Base Sepolia deployment (proxies). Older marketplace and proof-system addresses are deprecated. */
export const BASE_SEPOLIA_CONTRACTS: ContractAddresses = {
  jobMarketplace: "0xD067719Ee4c514B5735d1aC0FfB46FECf2A9adA4",
  nodeRegistry: "0x8BC0Af4aAa2dfb99699B1A24bA85E507de10Fd22",
  hostEarnings: "0xE4F33e9e132E60fc3477509f99b9E1340b91Aee0",
  modelRegistry: "0x1a9d91521c85bD252Ac848806Ff5096bBb9ACDb2",
  proofSystem: "0xE8DCa89e1588bbbdc4F7D5F78263632B35401B31",
  fabToken: "0xC78949004B4EB6dEf2D66e49Cd81231472612D62",
  usdcToken: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
};

export const NETWORK_PRESETS: Record<NetworkName, Preset> = {
  // Chain ids and public RPCs are the config's defaults (one table, src/config/network-defaults.ts).
  "base-sepolia": {
    label: "Base Sepolia",
    ...NETWORK_DEFAULTS["base-sepolia"],
    contracts: BASE_SEPOLIA_CONTRACTS,
    explorerUrl: "https://sepolia.basescan.org",
  },
  "base-mainnet": { label: "Base", ...NETWORK_DEFAULTS["base-mainnet"], contracts: {}, explorerUrl: "https://basescan.org" },
  local: { label: "local devnet", ...NETWORK_DEFAULTS.local, contracts: {}, explorerUrl: null },
  custom: { label: "custom network", ...NETWORK_DEFAULTS.custom, contracts: {}, explorerUrl: null },
};

export type ReadTextFile = (path: string) => string;

const defaultReadFile: ReadTextFile = (path) => readFileSync(path, "utf8");

/** The network this config points at, with every address checked and checksummed. Throws HostError on a gap. */
export function resolveNetwork(config: HostConfig, readFile: ReadTextFile = defaultReadFile): ResolvedNetwork {
  const preset = NETWORK_PRESETS[config.network];
  if (!preset) {
    throw new HostError(ChainErrors.NETWORK_UNKNOWN, `Unknown network "${String(config.network)}".`, {
      details: { known: Object.keys(NETWORK_PRESETS) },
    });
  }
  const base = config.network === "local" ? fromDeploymentFile(config, readFile) : preset;
  const chainId = pickChainId(config, base.chainId);
  const rpcUrls = pickRpcUrls(config, preset.rpcUrls, base.rpcUrls);
  if (rpcUrls.length === 0) {
    throw new HostError(ChainErrors.RPC_URL_MISSING, `The ${preset.label} needs at least one RPC URL in "rpcUrls".`);
  }
  // A preset's own addresses are constants written checksummed (a test holds them to it); a deployment file's are not.
  const contracts = mergeContracts(config, base.contracts, preset.label, base === preset);
  return { name: config.network, label: preset.label, chainId, rpcUrls, contracts, explorerUrl: preset.explorerUrl };
}

function pickChainId(config: HostConfig, presetChainId: number): number {
  if (presetChainId === 0) {
    if (!Number.isInteger(config.chainId) || config.chainId <= 0) {
      throw new HostError(ChainErrors.CHAIN_ID_CONFLICT, `The custom network needs "chainId" in the config (a positive integer).`, {
        hint: "Try: fabstir-host config set chainId <id>",
      });
    }
    return config.chainId;
  }
  if (config.chainId && config.chainId !== presetChainId) {
    throw new HostError(ChainErrors.CHAIN_ID_CONFLICT, `Config says chainId ${config.chainId}, but network "${config.network}" is chain ${presetChainId}.`, {
      hint: `Try: fabstir-host config set chainId ${presetChainId}`,
    });
  }
  return presetChainId;
}

/**
 * Config URLs win, except that the local network's untouched default (127.0.0.1:8545) yields to the URL the devnet
 * actually wrote into its deployment file.
 */
function pickRpcUrls(config: HostConfig, presetDefault: string[], fromBase: string[]): string[] {
  const configured = (config.rpcUrls ?? []).map((url) => url.trim()).filter((url) => url !== "");
  const isUntouchedDefault = configured.length === presetDefault.length && configured.every((url, i) => url === presetDefault[i]);
  if (configured.length > 0 && !(config.network === "local" && isUntouchedDefault && fromBase.length > 0)) return configured;
  return fromBase;
}

/**
 * ethers' address helpers, loaded when an address needs checking: the network is resolved before a chain command loads
 * (chain/early-check.ts), and loading them pulls in ethers' whole crypto module, milliseconds of start-up that a
 * preset's own addresses never need.
 */
function addressHelpers(): typeof import("ethers/address") {
  return require("ethers/address") as typeof import("ethers/address");
}

function mergeContracts(config: HostConfig, base: Partial<ContractAddresses>, label: string, baseIsChecksummed: boolean): ContractAddresses {
  const merged: Partial<ContractAddresses> = {};
  const missing: string[] = [];
  for (const key of CONTRACT_KEYS) {
    const value = config.contracts?.[key] ?? base[key];
    if (!value) {
      missing.push(key);
      continue;
    }
    // Checksumming hashes each address (keccak): a few milliseconds of start-up for every chain command.
    if (baseIsChecksummed && value === base[key]) {
      merged[key] = value;
      continue;
    }
    const { getAddress, isAddress } = addressHelpers();
    if (!isAddress(value)) {
      const why = isAddress(String(value).toLowerCase()) ? "its mixed-case checksum is wrong (a typo?)" : "not a 20-byte hex address";
      throw new HostError(ChainErrors.NETWORK_ADDRESS_INVALID, `contracts.${key} "${value}" is invalid: ${why}.`, {
        details: { field: `contracts.${key}` },
      });
    }
    merged[key] = getAddress(value);
  }
  if (missing.length > 0) {
    throw new HostError(
      ChainErrors.NETWORK_ADDRESSES_MISSING,
      `The ${label} has no published contract addresses; the config lacks ${missing.map((k) => `contracts.${k}`).join(", ")}.`,
      { details: { missing }, hint: `Try: fabstir-host config set contracts.${missing[0]} 0x…` },
    );
  }
  return merged as ContractAddresses;
}

interface DeploymentShape {
  chainId?: unknown;
  rpcUrl?: unknown;
  contracts?: Record<string, unknown>;
}

function fromDeploymentFile(config: HostConfig, readFile: ReadTextFile): Preset {
  const preset = NETWORK_PRESETS.local;
  const file = config.deploymentFile;
  if (!file) {
    throw new HostError(ChainErrors.DEPLOYMENT_FILE, `The local network needs "deploymentFile" (the file written by the devnet).`, {
      hint: "Try: fabstir-host config set deploymentFile <path to deployment.json>",
    });
  }
  let parsed: DeploymentShape;
  try {
    parsed = JSON.parse(readFile(file)) as DeploymentShape;
  } catch (cause) {
    throw new HostError(ChainErrors.DEPLOYMENT_FILE, `Cannot read the devnet deployment file ${file}: ${(cause as Error).message}`, { cause });
  }
  const contracts: Partial<ContractAddresses> = {};
  for (const key of CONTRACT_KEYS) {
    const value = parsed.contracts?.[key];
    if (typeof value === "string") contracts[key] = value;
  }
  const chainId = typeof parsed.chainId === "number" ? parsed.chainId : preset.chainId;
  const rpcUrls = typeof parsed.rpcUrl === "string" ? [parsed.rpcUrl] : preset.rpcUrls;
  return { ...preset, chainId, rpcUrls, contracts };
}

/** A link people can open for a transaction, or null on networks without an explorer. */
export function explorerTxUrl(network: Pick<ResolvedNetwork, "explorerUrl">, hash: string): string | null {
  return network.explorerUrl ? `${network.explorerUrl}/tx/${hash}` : null;
}
