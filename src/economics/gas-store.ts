/**
 * The gas ledger on disk: `<state>/gas-ledger/<chainId>-<host>.json`, replaced atomically (as the earnings ledger's
 * cache is, src/host/ledger/store.ts). A damaged or foreign file is dropped: it is rebuilt from the journal and the
 * chain, never trusted.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HostError } from "../errors/host-error.ts";
import { HostLedgerErrors } from "../errors/codes/host-ledger.ts";
import { atomicWriteFileSync } from "../util/atomic-write.ts";
import type { GasLedgerFile } from "./gas-types.ts";

export function gasLedgerPath(stateDir: string, chainId: number, host: string): string {
  return join(stateDir, "gas-ledger", `${chainId}-${host.toLowerCase()}.json`);
}

export function emptyGasLedger(chainId: number, host: string): GasLedgerFile {
  return { version: 1, chainId, host, entries: {}, foreign: [], registryScannedTo: -1, updatedAt: 0 };
}

export function loadGasLedger(stateDir: string, chainId: number, host: string): GasLedgerFile | null {
  const path = gasLedgerPath(stateDir, chainId, host);
  if (!existsSync(path)) return null;
  try {
    const file = JSON.parse(readFileSync(path, "utf8")) as GasLedgerFile;
    if (file.version !== 1 || typeof file.entries !== "object" || !Array.isArray(file.foreign)) return null;
    if (file.chainId !== chainId || file.host.toLowerCase() !== host.toLowerCase()) return null;
    return file;
  } catch {
    return null;
  }
}

export function saveGasLedger(stateDir: string, file: GasLedgerFile): void {
  const path = gasLedgerPath(stateDir, file.chainId, file.host);
  try {
    atomicWriteFileSync(path, JSON.stringify(file));
  } catch (cause) {
    throw new HostError(HostLedgerErrors.LEDGER_IO, `Could not write the gas ledger ${path}: ${(cause as Error).message}`, { cause });
  }
}
