/**
 * An ethers v6 provider whose transport is the RPC pool, so ethers Contracts, `getBalance`, `estimateGas` … all get
 * failover, retries and the breaker.
 *
 * - Batching: ethers' JsonRpcApiProvider gathers the calls issued within `batchStallTime` (1 ms here) into one array and
 *   hands it to `_send`; the pool posts that array as one JSON-RPC batch, so a status read of a dozen values costs one
 *   HTTP round trip.
 * - No cache: ethers shares identical `_perform` calls for 250 ms (`cacheTimeout`). A nonce read
 *   (`getTransactionCount(address, "pending")`) served from that cache right after a send would reuse a nonce, so the
 *   cache is disabled for everything (`cacheTimeout: -1`); batching already makes repeated reads cheap.
 * - Static network: the chain id is known from the config, so ethers never spends a round trip detecting it;
 *   `verifyNetwork` checks it explicitly instead.
 * - Events by polling `eth_getLogs`: server-side filters live on one node and vanish on failover.
 */
import { JsonRpcProvider, Network, type JsonRpcPayload, type JsonRpcResult } from "ethers";
import { RpcPool, type RpcPoolOptions } from "./pool.ts";
import type { RpcPayload } from "./types.ts";

/**
 * How long ethers gathers calls before it posts a batch. Calls a command issues together are issued in one turn of
 * the event loop (or in promise callbacks that run before any timer), so a millisecond gathers them as well as ethers'
 * own 10 ms did, and a status read's first request leaves 9 ms sooner.
 */
const BATCH_STALL_MS = 1;

export interface PooledProviderOptions {
  /** Most calls in one HTTP batch (default 50: public endpoints refuse large batches). */
  batchMaxCount?: number;
  /** How long ethers waits to gather calls into one batch, in ms (default BATCH_STALL_MS). */
  batchStallTime?: number;
  /** Interval of event and block polling, in ms (default 4000). */
  pollingInterval?: number;
}

export class PooledProvider extends JsonRpcProvider {
  readonly pool: RpcPool;

  constructor(pool: RpcPool, chainId: number, options: PooledProviderOptions = {}) {
    const network = Network.from(chainId);
    super(pool.primaryUrl, network, {
      staticNetwork: network,
      cacheTimeout: -1,
      batchMaxCount: options.batchMaxCount ?? 50,
      batchStallTime: options.batchStallTime ?? BATCH_STALL_MS,
      polling: true,
      pollingInterval: options.pollingInterval ?? 4000,
    });
    this.pool = pool;
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const list = Array.isArray(payload) ? payload : [payload];
    const answers = await this.pool.send(list as unknown as RpcPayload[]);
    // ethers declares JsonRpcResult[] here, but its batch loop handles error entries (it checks `"error" in resp`).
    return answers as unknown as JsonRpcResult[];
  }
}

/** A pool and a provider over it, in one call. */
export function createPooledProvider(poolOptions: RpcPoolOptions, chainId: number, providerOptions: PooledProviderOptions = {}): PooledProvider {
  return new PooledProvider(new RpcPool(poolOptions), chainId, providerOptions);
}
