/**
 * The ledger cache: `<state>/ledger/<chainId>-<host>.json`, one file per chain and host address, replaced atomically.
 * It is only a cache of chain events: unreadable, from another deployment, or older than a reorg, it is dropped and
 * rebuilt, never trusted.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HostError } from "../../errors/host-error.ts";
import { HostLedgerErrors } from "../../errors/codes/host-ledger.ts";
import { atomicWriteFileSync } from "../../util/atomic-write.ts";
import type { LedgerFile } from "./types.ts";

export function ledgerDir(stateDir: string): string {
  return join(stateDir, "ledger");
}

export function ledgerPath(stateDir: string, chainId: number, host: string): string {
  return join(ledgerDir(stateDir), `${chainId}-${host.toLowerCase()}.json`);
}

export interface LedgerIdentity {
  chainId: number;
  host: string;
  contracts: { jobMarketplace: string; hostEarnings: string };
}

export function emptyLedger(identity: LedgerIdentity, startBlock: number): LedgerFile {
  return {
    version: 1,
    chainId: identity.chainId,
    host: identity.host,
    contracts: { ...identity.contracts },
    startBlock,
    scannedTo: startBlock - 1,
    anchor: null,
    sessions: {},
    events: [],
    updatedAt: 0,
  };
}

/** The cached ledger for this identity, or null when there is none that can be trusted. */
export function loadLedger(stateDir: string, identity: LedgerIdentity): LedgerFile | null {
  const path = ledgerPath(stateDir, identity.chainId, identity.host);
  if (!existsSync(path)) return null;
  try {
    const file = JSON.parse(readFileSync(path, "utf8")) as LedgerFile;
    if (file.version !== 1 || !Array.isArray(file.events) || typeof file.sessions !== "object") return null;
    if (file.chainId !== identity.chainId || file.host.toLowerCase() !== identity.host.toLowerCase()) return null;
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    if (!same(file.contracts.jobMarketplace, identity.contracts.jobMarketplace) || !same(file.contracts.hostEarnings, identity.contracts.hostEarnings))
      return null;
    return file;
  } catch {
    return null; // half-written by hand or by a full disk: a rebuild costs a scan, trusting it could cost money
  }
}

export function saveLedger(stateDir: string, file: LedgerFile): void {
  const path = ledgerPath(stateDir, file.chainId, file.host);
  try {
    atomicWriteFileSync(path, JSON.stringify(file));
  } catch (cause) {
    throw new HostError(HostLedgerErrors.LEDGER_IO, `Could not write the earnings ledger cache ${path}: ${(cause as Error).message}`, { cause });
  }
}
