/**
 * What `status` remembers between runs so a warm run costs one round trip: the host's session ids in `hostSessions`
 * order (the array only grows), the final state of settled sessions (it never changes again), and slashing events.
 * `<state>/ledger/status-<chainId>-<host>.json`, replaced atomically; the hash of a block it saw tells whether it still
 * describes this chain (a reset devnet reuses every address).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { atomicWriteFileSync } from "../../util/atomic-write.ts";
import { ledgerDir } from "../ledger/store.ts";
import type { SlashRecord } from "./types.ts";

/** A session's numbers (decimal strings) as sessionJobs gave them; cached once settled (status 1 or 2). */
export interface SettledSession {
  jobId: string;
  /** 0 active, 1 completed, 2 timed out. */
  status: number;
  token: string;
  deposit: string;
  tokensUsed: string;
  withdrawnByHost: string;
  startTime: number;
  /** Absent in caches written before they were kept. */
  depositor?: string;
  proofInterval?: string;
}

export interface StatusCache {
  version: 1;
  chainId: number;
  host: string;
  marketplace: string;
  anchor: { number: number; hash: string } | null;
  /** hostSessions(host, i) for i = 0 … ids.length - 1. */
  ids: string[];
  settled: Record<string, SettledSession>;
  slashes: SlashRecord[];
  /** Slashing events are known up to this block. */
  slashScannedTo: number;
  /** Model id → `repo:file`, as the model registry named them (names never change). */
  modelNames: Record<string, string>;
}

export interface StatusCacheKey {
  stateDir: string;
  chainId: number;
  host: string;
  marketplace: string;
}

function pathOf(key: StatusCacheKey): string {
  return join(ledgerDir(key.stateDir), `status-${key.chainId}-${key.host.toLowerCase()}.json`);
}

export function emptyStatusCache(key: StatusCacheKey): StatusCache {
  return {
    version: 1,
    chainId: key.chainId,
    host: key.host,
    marketplace: key.marketplace,
    anchor: null,
    ids: [],
    settled: {},
    slashes: [],
    slashScannedTo: -1,
    modelNames: {},
  };
}

export function loadStatusCache(key: StatusCacheKey): StatusCache {
  const path = pathOf(key);
  if (!existsSync(path)) return emptyStatusCache(key);
  try {
    const cache = JSON.parse(readFileSync(path, "utf8")) as StatusCache;
    const same =
      cache.version === 1 &&
      cache.chainId === key.chainId &&
      cache.host.toLowerCase() === key.host.toLowerCase() &&
      cache.marketplace.toLowerCase() === key.marketplace.toLowerCase();
    return same && Array.isArray(cache.ids) ? { ...cache, modelNames: cache.modelNames ?? {} } : emptyStatusCache(key);
  } catch {
    return emptyStatusCache(key);
  }
}

/** Best effort: status must show the chain even on a read-only or full disk. */
export function saveStatusCache(key: StatusCacheKey, cache: StatusCache): boolean {
  try {
    atomicWriteFileSync(pathOf(key), JSON.stringify(cache));
    return true;
  } catch {
    return false;
  }
}
