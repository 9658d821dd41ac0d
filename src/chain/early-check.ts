/**
 * The network check of a chain command, posted before the command loads. Commands that verify the network first
 * (openHost, openReader: chain id and contract code, one batch) mark themselves `checksNetwork`; the command line
 * starts this as soon as it knows the command, and the request travels while the command, ethers and the contracts
 * load (rpc/prefetch.ts). The body is exactly what `verify()` will post, so the pool takes the answer as its own.
 * Anything that goes wrong here is left for the command to meet and report: this only ever saves time.
 */
import type { HostContext } from "../context.ts";
import { loadConfig } from "../config/store.ts";
import { pathsFor, resolveHome } from "../config/paths.ts";
import { resolveNetwork } from "./networks.ts";
import { prefetch } from "./rpc/prefetch.ts";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./rpc/pool.ts";
import { networkCheckCalls } from "./verify-network.ts";

/** `configDir`: the line's --config-dir, which the command will apply to its paths (cli/fabstir-cli.ts). */
export async function prefetchNetworkCheck(context: Pick<HostContext, "paths" | "env" | "fetch" | "homeDir">, configDir?: string): Promise<void> {
  try {
    const paths = configDir ? pathsFor(resolveHome({ configDir, env: context.env, homeDir: context.homeDir })) : context.paths;
    const { config, fileExists } = await loadConfig({ paths, env: context.env });
    // Without a wallet the host is not set up yet: its commands stop before the chain (or are rare).
    if (!fileExists || !config.wallet) return;
    const network = resolveNetwork(config);
    // The ids the check's batching sender gives its calls (rpc/batch-sender.ts): 1, 2, … in order.
    const body = JSON.stringify(networkCheckCalls(network).map((call, index) => ({ jsonrpc: "2.0", id: index + 1, method: call.method, params: call.params })));
    prefetch(context.fetch, network.rpcUrls[0]!, body, DEFAULT_REQUEST_TIMEOUT_MS);
  } catch {
    // A config or network the command will refuse, with the right error: nothing to prefetch.
  }
}
