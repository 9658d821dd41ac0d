/**
 * The host's public key as the SDK finds it: `publicKey` in the metadata JSON that `getNodeFullInfo(host)` returns
 * (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/HostManager.ts:1076-1087, the metadata read at 551).
 * The SDK's fallback, asking the host's API to sign (HostManager.ts:1089-1100), is not needed here: every host the
 * project registers publishes its key.
 */
import { Contract, type Provider } from "ethers";

const NODE_FULL_INFO = ["function getNodeFullInfo(address) view returns (address, uint256, bool, string, string, bytes32[], uint256, uint256)"];

export async function readHostPublicKey(provider: Provider, nodeRegistry: string, host: string): Promise<string> {
  const info = (await new Contract(nodeRegistry, NODE_FULL_INFO, provider).getFunction("getNodeFullInfo")(host)) as unknown[];
  let metadata: { publicKey?: unknown } = {};
  try {
    metadata = JSON.parse(String(info[3])) as { publicKey?: unknown };
  } catch {
    // Unreadable metadata has no key either; said below.
  }
  if (typeof metadata.publicKey !== "string" || !/^(0x)?0[23][0-9a-fA-F]{64}$/.test(metadata.publicKey)) {
    throw new Error(`host ${host} publishes no compressed publicKey in its metadata: encrypted sessions to it are impossible`);
  }
  return metadata.publicKey;
}
