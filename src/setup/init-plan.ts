/**
 * What `init` would change: the current config plus the answers, and the list of differences. Pure, so the wizard,
 * the non-interactive path and the tests agree on what "nothing changed" means.
 */
import type { HostConfig, NetworkName } from "../config/types.ts";
import { NETWORK_DEFAULTS } from "../config/network-defaults.ts";
import { toContractPrice } from "../host/pricing/units.ts";

export interface InitAnswers {
  network?: NetworkName;
  rpcUrls?: string[];
  deploymentFile?: string | null;
  publicUrl?: string | null;
  apiPort?: number;
  models?: string[];
  /** Human units: USD per million tokens. */
  priceUsdc?: string;
  /** Human units: ETH per thousand tokens. */
  priceEth?: string;
  signer?: "node" | "cli";
}

export interface Change {
  key: string;
  from: unknown;
  to: unknown;
}

export function planInit(current: HostConfig, answers: InitAnswers): { next: HostConfig; changes: Change[] } {
  const next = structuredClone(current);
  if (answers.network && answers.network !== current.network) {
    next.network = answers.network;
    // A new network brings its own chain id and public RPC unless the answers name others.
    next.chainId = NETWORK_DEFAULTS[answers.network].chainId;
    next.rpcUrls = [...NETWORK_DEFAULTS[answers.network].rpcUrls];
    next.contracts = {};
  }
  if (answers.rpcUrls?.length) next.rpcUrls = answers.rpcUrls;
  if (answers.deploymentFile !== undefined) next.deploymentFile = answers.deploymentFile;
  if (answers.publicUrl !== undefined) next.publicUrl = answers.publicUrl;
  if (answers.apiPort !== undefined) next.node.apiPort = answers.apiPort;
  if (answers.models) next.models = answers.models;
  if (answers.signer) next.node.signer = answers.signer;
  if (answers.priceUsdc !== undefined || answers.priceEth !== undefined) {
    const all = { ...(next.prices["*"] ?? {}) };
    if (answers.priceUsdc !== undefined) all.usdc = toContractPrice("usdc", answers.priceUsdc).toString();
    if (answers.priceEth !== undefined) all.eth = toContractPrice("eth", answers.priceEth).toString();
    next.prices = { ...next.prices, "*": all };
  }
  return { next, changes: diff(current, next) };
}

function diff(before: HostConfig, after: HostConfig): Change[] {
  const keys: [string, (c: HostConfig) => unknown][] = [
    ["network", (c) => c.network],
    ["chainId", (c) => c.chainId],
    ["rpcUrls", (c) => c.rpcUrls],
    ["deploymentFile", (c) => c.deploymentFile],
    ["publicUrl", (c) => c.publicUrl],
    ["node.apiPort", (c) => c.node.apiPort],
    ["node.signer", (c) => c.node.signer],
    ["models", (c) => c.models],
    ["prices", (c) => c.prices],
    ["wallet", (c) => c.wallet],
  ];
  return keys.filter(([, get]) => JSON.stringify(get(before)) !== JSON.stringify(get(after))).map(([key, get]) => ({ key, from: get(before), to: get(after) }));
}
