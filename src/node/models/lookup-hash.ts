/**
 * The SHA-256 the ModelRegistry publishes for `repo:file` (getModel(keccak256(repo + "/" + file)).sha256Hash).
 *
 * ADAPTER: reads the registry directly over the first RPC URL with ethers. When the chain layer offers a client with
 * RPC failover, replace the body of `readFromChain` with a call to it; the command only depends on `lookupModelHash`.
 * Tests (and callers with their own chain client) pass a lookup in `context.overrides[MODEL_HASH_LOOKUP]`.
 */
import { Contract, FetchRequest, JsonRpcProvider, ZeroHash, keccak256, toUtf8Bytes } from "ethers";
import type { HostContext } from "../../context.ts";
import type { HostConfig } from "../../config/types.ts";
import { resolveNetwork } from "../../chain/networks.ts";
import { MODEL_REGISTRY_ABI } from "../../chain/abi/model-registry.ts";
import { loadConfig } from "../../config/store.ts";
import { HostError, isHostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";

export const MODEL_HASH_LOOKUP = "models.hashLookup";

export type ModelHashLookup = (repo: string, file: string) => Promise<string | null>;

export function modelIdFor(repo: string, file: string): string {
  return keccak256(toUtf8Bytes(`${repo}/${file}`));
}

/** Lower-case hex without 0x, or null for "no hash" (the zero hash included). */
export function normalizeSha256(value: string | null | undefined): string | null {
  if (!value) return null;
  const hex = value.toLowerCase().replace(/^0x/, "");
  return /^[0-9a-f]{64}$/.test(hex) && `0x${hex}` !== ZeroHash ? hex : null;
}

async function readFromChain(config: HostConfig, repo: string, file: string): Promise<string | null> {
  const network = resolveNetwork(config);
  const rpc = network.rpcUrls[0];
  if (!rpc) throw new Error("no RPC URL is configured");
  const request = new FetchRequest(rpc);
  request.timeout = 15_000; // ethers waits 5 minutes by default
  const provider = new JsonRpcProvider(request, network.chainId, { staticNetwork: true, batchMaxCount: 1 });
  try {
    const registry = new Contract(network.contracts.modelRegistry, MODEL_REGISTRY_ABI, provider);
    const model = (await registry.getFunction("getModel").staticCall(modelIdFor(repo, file))) as { sha256Hash: string };
    return normalizeSha256(model.sha256Hash);
  } finally {
    provider.destroy();
  }
}

/**
 * The registry's hash (lower-case hex), or null when the registry does not list the model. Throws
 * MODEL_HASH_UNKNOWN, naming the reason, when the chain cannot be asked (the command then asks for --sha256).
 */
export async function lookupModelHash(context: Pick<HostContext, "overrides" | "paths" | "env">, repo: string, file: string, config?: HostConfig): Promise<string | null> {
  const override = context.overrides[MODEL_HASH_LOOKUP] as ModelHashLookup | undefined;
  if (override) return normalizeSha256(await override(repo, file));
  try {
    return await readFromChain(config ?? (await loadConfig(context)).config, repo, file);
  } catch (error) {
    const reason = isHostError(error) ? error.message : (error as Error).message?.split("\n")[0] ?? String(error);
    throw new HostError(NodeErrors.MODEL_HASH_UNKNOWN, `Could not read the SHA-256 of ${repo}:${file} from the ModelRegistry: ${reason}`, { cause: error });
  }
}
