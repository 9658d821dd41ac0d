/** What the NodeRegistry holds for one host address, and the guard every maintenance command starts with. */
import type { ChainClient } from "../../chain/index.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";

export interface Registration {
  address: string;
  registered: boolean;
  active: boolean;
  /** FAB base units. */
  stake: bigint;
  /** The metadata JSON exactly as stored. */
  metadata: string;
  apiUrl: string;
  /** Supported model ids, lower-case. */
  models: string[];
  minPricePerTokenNative: bigint;
  minPricePerTokenStable: bigint;
}

export async function readRegistration(chain: ChainClient, address: string): Promise<Registration> {
  const info = await chain.contracts.nodeRegistry.getNodeFullInfo(address);
  const operator = String(info[0]);
  return {
    address,
    registered: operator.toLowerCase() === address.toLowerCase(),
    active: Boolean(info[2]),
    stake: BigInt(info[1]),
    metadata: String(info[3]),
    apiUrl: String(info[4]),
    models: [...(info[5] as string[])].map((id) => String(id).toLowerCase()),
    minPricePerTokenNative: BigInt(info[6]),
    minPricePerTokenStable: BigInt(info[7]),
  };
}

/** NOT_REGISTERED, naming the address and the network, for commands that change an existing registration. */
export function requireRegistered(registration: Registration, chain: ChainClient): void {
  if (registration.registered) return;
  throw new HostError(HostErrors.NOT_REGISTERED, `${registration.address} is not registered on ${chain.network.label}. Nothing was sent.`, {
    details: { address: registration.address, network: chain.network.name, chainId: chain.network.chainId },
  });
}
