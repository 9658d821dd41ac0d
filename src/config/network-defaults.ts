/** Chain id and public RPC per network preset: the defaults a fresh config starts from. Addresses live in src/chain. */
import type { NetworkName } from "./types.ts";

export const NETWORK_DEFAULTS: Record<NetworkName, { chainId: number; rpcUrls: string[] }> = {
  "base-sepolia": { chainId: 84532, rpcUrls: ["https://sepolia.base.org"] },
  "base-mainnet": { chainId: 8453, rpcUrls: ["https://mainnet.base.org"] },
  local: { chainId: 31337, rpcUrls: ["http://127.0.0.1:8545"] },
  custom: { chainId: 0, rpcUrls: [] },
};
