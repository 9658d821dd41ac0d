/**
 * The SHA-256 the ModelRegistry publishes for `repo:file` (getModel(keccak256(repo + "/" + file)).sha256Hash), read
 * through the chain client (RPC pool with failover), or through the `modelHashLookup` service when a context has one.
 */
import { keccak256, toUtf8Bytes, ZeroHash } from "ethers";
import type { HostContext } from "../../context.ts";
import type { HostConfig } from "../../config/types.ts";
import { loadConfig } from "../../config/store.ts";
import { HostError, isHostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";

export type ModelHashLookup = (repo: string, file: string) => Promise<string | null>;

declare module "../../context.ts" {
  interface HostServices {
    /** Where a model file's SHA-256 comes from instead of the ModelRegistry (tests, a mirror). */
    modelHashLookup?: ModelHashLookup;
  }
}

export function modelIdFor(repo: string, file: string): string {
  return keccak256(toUtf8Bytes(`${repo}/${file}`));
}

/** Lower-case hex without 0x, or null for "no hash" (the zero hash included). */
export function normalizeSha256(value: string | null | undefined): string | null {
  if (!value) return null;
  const hex = value.toLowerCase().replace(/^0x/, "");
  return /^[0-9a-f]{64}$/.test(hex) && `0x${hex}` !== ZeroHash ? hex : null;
}

export type LookupContext = Pick<HostContext, "services" | "paths" | "env"> & Partial<Pick<HostContext, "fetch" | "clock" | "logger">>;

async function readFromChain(context: LookupContext, config: HostConfig, repo: string, file: string): Promise<string | null> {
  // One lookup: a shorter deadline than the daemon's, so a dead RPC fails the command in seconds, not minutes.
  const chain = context.services.connectChain(config, {
    fetch: context.fetch,
    clock: context.clock,
    logger: context.logger,
    pool: { requestTimeoutMs: 15_000 },
  });
  try {
    const model = await chain.contracts.modelRegistry.getModel(modelIdFor(repo, file));
    return normalizeSha256(String(model.sha256Hash ?? model[2] ?? ""));
  } finally {
    chain.close();
  }
}

/**
 * The registry's hash (lower-case hex), or null when the registry does not list the model. Throws
 * MODEL_HASH_UNKNOWN, naming the reason, when the chain cannot be asked (the command then asks for --sha256).
 */
export async function lookupModelHash(context: LookupContext, repo: string, file: string, config?: HostConfig): Promise<string | null> {
  const lookup = context.services.modelHashLookup;
  if (lookup) return normalizeSha256(await lookup(repo, file));
  try {
    return await readFromChain(context, config ?? (await loadConfig(context)).config, repo, file);
  } catch (error) {
    const reason = isHostError(error) ? error.message : ((error as Error).message?.split("\n")[0] ?? String(error));
    throw new HostError(NodeErrors.MODEL_HASH_UNKNOWN, `Could not read the SHA-256 of ${repo}:${file} from the ModelRegistry: ${reason}`, { cause: error });
  }
}
