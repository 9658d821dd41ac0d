/**
 * Everything a status view needs about one host address, read in one go. The reads are issued in the same tick, so the
 * pooled provider sends them as one JSON-RPC batch: one HTTP round trip on a cold start, without a Multicall contract.
 */
import type { JsonRpcApiProvider } from "ethers";
import { NATIVE_TOKEN, type FabstirContracts, type NodeFullInfo } from "./contracts.ts";

export interface HostChainSnapshot {
  address: string;
  blockNumber: number;
  registered: boolean;
  active: boolean;
  stake: bigint;
  minStake: bigint;
  metadata: string;
  apiUrl: string;
  models: string[];
  minPricePerTokenNative: bigint;
  minPricePerTokenStable: bigint;
  /** Wallet balances (base units). */
  balances: { eth: bigint; fab: bigint; usdc: bigint };
  /** Credited, not yet withdrawn, in HostEarnings (base units). */
  earnings: { eth: bigint; usdc: bigint };
}

export async function readHostSnapshot(provider: JsonRpcApiProvider, contracts: FabstirContracts, address: string): Promise<HostChainSnapshot> {
  const usdc = await contracts.usdcToken.getAddress();
  const [blockNumber, info, minStake, eth, fab, usdcBalance, earned] = await Promise.all([
    provider.getBlockNumber(),
    contracts.nodeRegistry.getNodeFullInfo(address) as Promise<NodeFullInfo>,
    contracts.nodeRegistry.MIN_STAKE(),
    provider.getBalance(address),
    contracts.fabToken.balanceOf(address),
    contracts.usdcToken.balanceOf(address),
    contracts.hostEarnings.getBalances(address, [NATIVE_TOKEN, usdc]),
  ]);
  const operator = String(info[0]);
  return {
    address,
    blockNumber,
    registered: operator.toLowerCase() === address.toLowerCase(),
    active: Boolean(info[2]),
    stake: BigInt(info[1]),
    minStake,
    metadata: String(info[3]),
    apiUrl: String(info[4]),
    models: [...(info[5] as string[])].map(String),
    minPricePerTokenNative: BigInt(info[6]),
    minPricePerTokenStable: BigInt(info[7]),
    balances: { eth, fab, usdc: usdcBalance },
    earnings: { eth: BigInt(earned[0] ?? 0n), usdc: BigInt(earned[1] ?? 0n) },
  };
}
