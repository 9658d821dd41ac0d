/**
 * The chain client a command or the daemon makes once: the resolved network, a pooled provider over its RPC URLs,
 * the typed contracts, and a way to make the TxSender for the host key.
 */
import type { FetchFn } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import type { Clock } from "../util/clock.ts";
import { connectContracts, type FabstirContracts } from "./contracts.ts";
import { resolveNetwork, type ReadTextFile, type ResolvedNetwork } from "./networks.ts";
import { RpcPool, type RpcPoolOptions } from "./rpc/pool.ts";
import { PooledProvider, type PooledProviderOptions } from "./rpc/provider.ts";
import type { EndpointStats } from "./rpc/types.ts";
import { TxSender, type TxSenderOptions } from "./tx/sender.ts";
import type { TxSigner } from "./tx/types.ts";
import { verifyNetwork, type NetworkCheck } from "./verify-network.ts";
import { batchingSender } from "./rpc/batch-sender.ts";

export interface ChainClient {
  network: ResolvedNetwork;
  provider: PooledProvider;
  contracts: FabstirContracts;
  /** Chain id and contract code checks; throws HostError naming what was expected and found. */
  verify(): Promise<NetworkCheck>;
  rpcStats(): EndpointStats[];
  /** A sender for this key on this network; its journal lives under `<stateDir>/tx-journal/`. */
  sender(
    signer: TxSigner,
    stateDir: string,
    options?: Partial<Omit<TxSenderOptions, "provider" | "signer" | "chainId" | "stateDir" | "tx">>,
  ): Promise<TxSender>;
  /** Stops polling timers; the client is unusable afterwards. */
  close(): void;
}

export interface ConnectOptions {
  fetch?: FetchFn;
  clock?: Clock;
  logger?: Logger;
  readFile?: ReadTextFile;
  pool?: Partial<Omit<RpcPoolOptions, "urls" | "fetch" | "clock" | "logger">>;
  provider?: PooledProviderOptions;
}

declare module "../context.ts" {
  interface HostServices {
    /** Opens a chain client for a configuration (a pooled provider over its RPC URLs); the caller closes it. */
    connectChain(config: HostConfig, options?: ConnectOptions): ChainClient;
  }
}

export function connectChain(config: HostConfig, options: ConnectOptions = {}): ChainClient {
  const network = resolveNetwork(config, options.readFile);
  const logger = options.logger?.child({ component: "rpc" });
  const pool = new RpcPool({ ...options.pool, urls: network.rpcUrls, fetch: options.fetch, clock: options.clock, logger });
  const provider = new PooledProvider(pool, network.chainId, options.provider);
  return {
    network,
    provider,
    contracts: connectContracts(network.contracts, provider),
    verify: () => verifyNetwork(batchingSender(pool), network),
    rpcStats: () => pool.stats(),
    sender: (signer, stateDir, extra = {}) =>
      TxSender.create({ clock: options.clock, logger: options.logger, ...extra, provider, signer, chainId: network.chainId, stateDir, tx: config.tx }),
    close: () => provider.destroy(),
  };
}
