/**
 * The chain client a command or the daemon makes once: the resolved network, a pooled provider over its RPC URLs,
 * the typed contracts, raw batched calls, and a way to make the TxSender for the host key. The provider, the contracts
 * and the sender, with the parts of ethers behind them, load on first use: a command that reads through `rpc` alone
 * (`status`) never loads them, which is most of what it would otherwise spend before its first request.
 */
import type { FetchFn } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import type { Clock } from "../util/clock.ts";
import type { FabstirContracts } from "./contracts.ts";
import { resolveNetwork, type ReadTextFile, type ResolvedNetwork } from "./networks.ts";
import { RpcPool, type RpcPoolOptions } from "./rpc/pool.ts";
import type { PooledProvider, PooledProviderOptions } from "./rpc/provider.ts";
import type { EndpointStats } from "./rpc/types.ts";
import type { TxSender, TxSenderOptions } from "./tx/sender.ts";
import type { TxSigner } from "./tx/types.ts";
import { verifyNetwork, type NetworkCheck, type RpcSender } from "./verify-network.ts";
import { batchingSender } from "./rpc/batch-sender.ts";

/** Most calls in one JSON-RPC batch: public endpoints refuse large batches (the provider uses the same limit). */
export const RPC_BATCH_LIMIT = 50;

export interface ChainClient {
  network: ResolvedNetwork;
  readonly provider: PooledProvider;
  readonly contracts: FabstirContracts;
  /**
   * Raw JSON-RPC calls through the pool, without ethers: calls made in one turn of the event loop share a batch (up to
   * RPC_BATCH_LIMIT). A call the RPC answers with an error (a revert) rejects with an RpcCallError; a request that
   * fails, with a HostError.
   */
  rpc: RpcSender;
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
  let provider: PooledProvider | undefined;
  let contracts: FabstirContracts | undefined;
  const providerNow = (): PooledProvider => {
    if (!provider) {
      const { PooledProvider } = require("./rpc/provider.ts") as typeof import("./rpc/provider.ts");
      provider = new PooledProvider(pool, network.chainId, options.provider);
    }
    return provider;
  };
  return {
    network,
    get provider() {
      return providerNow();
    },
    get contracts() {
      contracts ??= (require("./contracts.ts") as typeof import("./contracts.ts")).connectContracts(network.contracts, providerNow());
      return contracts;
    },
    rpc: batchingSender(pool, { maxBatch: RPC_BATCH_LIMIT, callErrors: "per-call" }),
    verify: () => verifyNetwork(batchingSender(pool), network),
    rpcStats: () => pool.stats(),
    sender: (signer, stateDir, extra = {}) =>
      (require("./tx/sender.ts") as typeof import("./tx/sender.ts")).TxSender.create({
        clock: options.clock,
        logger: options.logger,
        ...extra,
        provider: providerNow(),
        signer,
        chainId: network.chainId,
        stateDir,
        tx: config.tx,
      }),
    close: () => provider?.destroy(),
  };
}
