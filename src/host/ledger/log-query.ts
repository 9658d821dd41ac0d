/**
 * eth_getLogs over a block range, split into chunks. The chunks of one wave are requested in the same tick, so a
 * batching provider sends them as one HTTP request. Endpoints limit the range (or the result size) of one query in
 * different ways; a refused chunk is halved and asked again, down to a floor, before giving up.
 */
import { toQuantity } from "ethers";
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostLedgerErrors } from "../../errors/codes/host-ledger.ts";
import { HostError } from "../../errors/host-error.ts";

export interface RpcSend {
  // An ethers provider answers JSON-RPC with whatever the method returns; each caller reads its own shape.
  // biome-ignore lint/suspicious/noExplicitAny: the provider API this mirrors is typed that way
  send(method: string, params: unknown[]): Promise<any>;
}

export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  removed?: boolean;
}

/** One query of a scan: an address and topic filter (null = any; an array = any of these). */
export interface LogFilter {
  address: string;
  topics: (string | string[] | null)[];
}

export interface ScanOptions {
  /** Blocks per query at first (default 10,000). */
  chunkSize?: number;
  /** Smallest range tried before giving up (default 100). */
  minChunkSize?: number;
  /** Most calls in one wave: filters × chunks (default 40, under the provider's batch limit of 50). */
  callsPerWave?: number;
}

/** Every log matching any of `filters` in [from, to], sorted in chain order. */
export async function queryLogs(rpc: RpcSend, filters: LogFilter[], from: number, to: number, options: ScanOptions = {}): Promise<RawLog[]> {
  if (filters.length === 0 || to < from) return [];
  const minChunk = options.minChunkSize ?? 100;
  let chunk = Math.max(minChunk, options.chunkSize ?? 10_000);
  const perWave = Math.max(1, Math.floor((options.callsPerWave ?? 40) / filters.length));
  const out: RawLog[] = [];
  let next = from;
  while (next <= to) {
    const ranges: [number, number][] = [];
    for (let start = next; start <= to && ranges.length < perWave; start += chunk) ranges.push([start, Math.min(to, start + chunk - 1)]);
    const calls = ranges.flatMap(([a, b]) => filters.map((f) => getLogs(rpc, f, a, b)));
    const results = await Promise.allSettled(calls);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) {
      if (failed.reason instanceof HostError && failed.reason.code === ChainErrors.RPC_UNAVAILABLE.code) throw failed.reason;
      if (chunk <= minChunk) {
        throw new HostError(
          HostLedgerErrors.LOG_SCAN_FAILED,
          `The RPC refused to list chain events for blocks ${ranges[0]![0]}–${ranges[0]![1]}: ${messageOf(failed.reason)}`,
          { cause: failed.reason },
        );
      }
      chunk = Math.max(minChunk, Math.floor(chunk / 2));
      continue; // the whole wave again with smaller ranges: simpler than mending it, and rare
    }
    for (const result of results) out.push(...(result as PromiseFulfilledResult<RawLog[]>).value);
    next = ranges[ranges.length - 1]![1] + 1;
  }
  return dedupe(out).sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

async function getLogs(rpc: RpcSend, filter: LogFilter, from: number, to: number): Promise<RawLog[]> {
  const raw = (await rpc.send("eth_getLogs", [
    { address: filter.address, topics: filter.topics, fromBlock: toQuantity(from), toBlock: toQuantity(to) },
  ])) as Array<Record<string, unknown>>;
  return raw.filter((log) => log.removed !== true).map(toRawLog);
}

/** One log as the JSON-RPC answers it (hex quantities), in the shape the ledger and status decode. */
export function toRawLog(log: Record<string, unknown>): RawLog {
  return {
    address: String(log.address),
    topics: (log.topics as string[]).map(String),
    data: String(log.data),
    blockNumber: Number(BigInt(log.blockNumber as string)),
    logIndex: Number(BigInt(log.logIndex as string)),
    transactionHash: String(log.transactionHash),
  };
}

/** Overlapping filters (and retried waves) may return a log twice. */
function dedupe(logs: RawLog[]): RawLog[] {
  const seen = new Set<string>();
  return logs.filter((log) => {
    const key = `${log.transactionHash}:${log.logIndex}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function messageOf(error: unknown): string {
  const e = error as { error?: { message?: string }; shortMessage?: string; message?: string };
  return e?.error?.message ?? e?.shortMessage ?? e?.message ?? String(error);
}

/** An address as a 32-byte topic. */
export function addressTopic(address: string): string {
  return "0x" + address.toLowerCase().replace(/^0x/, "").padStart(64, "0");
}

/** A uint256 as a 32-byte topic. */
export function uintTopic(value: bigint | string | number): string {
  return "0x" + BigInt(value).toString(16).padStart(64, "0");
}
