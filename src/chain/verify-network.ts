/**
 * Before a host signs anything it checks that the RPC is on the expected chain and that every configured address holds
 * a contract: a wrong RPC (mainnet for a testnet host) or a stale address would otherwise fail later, less clearly.
 */
import { ChainErrors } from "../errors/codes/chain.ts";
import { HostError } from "../errors/host-error.ts";
import { CONTRACT_KEYS, type ResolvedNetwork } from "./networks.ts";
import { rpcUrlLabel } from "./rpc/url-label.ts";

/** Anything that can send raw JSON-RPC (an ethers JsonRpcProvider, the pooled provider). */
export interface RpcSender {
  send(method: string, params: unknown[]): Promise<unknown>;
}

export interface NetworkCheck {
  chainId: number;
  /** Byte length of the deployed code at each contract address. */
  codeSizes: Record<(typeof CONTRACT_KEYS)[number], number>;
}

/** The calls of the check, in the order they are sent: the chain id, then the code at each contract address. */
export function networkCheckCalls(network: Pick<ResolvedNetwork, "contracts">): { method: string; params: unknown[] }[] {
  return [{ method: "eth_chainId", params: [] }, ...CONTRACT_KEYS.map((key) => ({ method: "eth_getCode", params: [network.contracts[key], "latest"] }))];
}

export async function verifyNetwork(client: RpcSender, network: ResolvedNetwork): Promise<NetworkCheck> {
  // Issued together so a batching sender sends them in one round trip.
  const [rawChainId, ...codes] = await Promise.all(networkCheckCalls(network).map((call) => client.send(call.method, call.params)));

  const chainId = Number(BigInt(rawChainId as string));
  const where = network.rpcUrls.map(rpcUrlLabel).join(", ");
  if (chainId !== network.chainId) {
    throw new HostError(
      ChainErrors.CHAIN_ID_MISMATCH,
      `Expected ${network.label} (chain id ${network.chainId}), but the RPC ${where} is on chain id ${chainId}${knownChainName(chainId)}.`,
      { details: { expected: network.chainId, found: chainId } },
    );
  }
  const codeSizes = {} as NetworkCheck["codeSizes"];
  const empty: string[] = [];
  CONTRACT_KEYS.forEach((key, index) => {
    const code = String(codes[index] ?? "0x");
    codeSizes[key] = Math.max(0, (code.length - 2) / 2);
    if (codeSizes[key] === 0) empty.push(`${key} ${network.contracts[key]}`);
  });
  if (empty.length > 0) {
    throw new HostError(ChainErrors.CONTRACT_NOT_DEPLOYED, `No contract code on ${network.label} (chain id ${chainId}) at: ${empty.join("; ")}.`, {
      details: { missing: empty },
    });
  }
  return { chainId, codeSizes };
}

function knownChainName(chainId: number): string {
  const names: Record<number, string> = { 1: "Ethereum mainnet", 8453: "Base", 84532: "Base Sepolia", 31337: "a local devnet", 11155111: "Sepolia" };
  return names[chainId] ? ` (${names[chainId]})` : "";
}
