/**
 * A minute's cache of `market` on disk (`<state>/market/<chainId>-<host>.json`, replaced atomically): the answer is
 * a few dozen reads per model, and an operator comparing prices runs it again and again. Keyed by what was asked
 * (`--model`, the ETH/USD rate); a damaged file is ignored.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { atomicWriteFileSync } from "../util/atomic-write.ts";
import type { MarketReport } from "./market.ts";

export const MARKET_CACHE_MS = 60_000;

interface CacheFile {
  version: 1;
  key: string;
  report: MarketReport;
}

export function marketCachePath(stateDir: string, chainId: number, host: string): string {
  return join(stateDir, "market", `${chainId}-${host.toLowerCase()}.json`);
}

export function cacheKey(model: string | undefined, ethUsd: number | null): string {
  return JSON.stringify([model ?? null, ethUsd]);
}

export function readMarketCache(path: string, key: string, now: number): MarketReport | null {
  if (!existsSync(path)) return null;
  try {
    const file = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
    if (file.version !== 1 || file.key !== key) return null;
    if (now - file.report.readAt >= MARKET_CACHE_MS || now < file.report.readAt) return null;
    return { ...file.report, cached: true };
  } catch {
    return null;
  }
}

export function writeMarketCache(path: string, key: string, report: MarketReport): void {
  try {
    atomicWriteFileSync(path, JSON.stringify({ version: 1, key, report } satisfies CacheFile));
  } catch {
    // A cache that cannot be written costs the next run a fresh read, nothing more.
  }
}
