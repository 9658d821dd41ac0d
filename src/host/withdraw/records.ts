/**
 * A withdrawal's own records. While it runs, the plan (the exact call, and each sweep's exact amount once fixed) is
 * kept in `<state>/ledger/withdrawal-<chainId>-<host>.json`, written before anything is signed: a run that dies
 * midway is finished by the next `withdraw` with the same transaction keys, so the chain layer's journal resumes or
 * reuses each transaction and nothing is sent twice. Finished withdrawals are appended to `<state>/withdrawals.jsonl`.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { HostError } from "../../errors/host-error.ts";
import { HostLedgerErrors } from "../../errors/codes/host-ledger.ts";
import { atomicWriteFileSync } from "../../util/atomic-write.ts";
import type { PaymentToken, TokenAmount } from "../ledger/amounts.ts";
import { ledgerDir } from "../ledger/store.ts";

export interface PlannedCall {
  to: string;
  data: string;
  /** Wei, decimal. */
  value: string;
  description: string;
}

export interface SweepStep {
  /** Base units fixed before the transfer is signed; "0" when skipped. */
  amount: string;
  call: PlannedCall | null;
  skipped: string | null;
  hash: string | null;
}

export interface PendingWithdrawal {
  version: 1;
  /** The idempotency key's stem: `withdraw:<id>`, `sweep:<id>:<token>`. */
  id: string;
  chainId: number;
  host: string;
  createdAt: number;
  tokens: PaymentToken[];
  call: PlannedCall;
  to: string | null;
  /** Filled once the withdrawal is mined: what EarningsWithdrawn says left HostEarnings. */
  withdrawn: Partial<Record<PaymentToken, string>> | null;
  receipt: { hash: string; block: number; gasUsed: string; effectiveGasPrice: string } | null;
  sweeps: Partial<Record<PaymentToken, SweepStep>>;
}

export interface WithdrawalHistoryEntry {
  at: string;
  id: string;
  chainId: number;
  address: string;
  tx: string;
  block: number;
  fee: TokenAmount;
  withdrawn: Partial<Record<PaymentToken, TokenAmount>>;
  sweeps: Array<{ token: PaymentToken; to: string; amount: TokenAmount; tx: string | null; skipped: string | null }>;
}

function pendingPath(stateDir: string, chainId: number, host: string): string {
  return join(ledgerDir(stateDir), `withdrawal-${chainId}-${host.toLowerCase()}.json`);
}

export function historyPath(stateDir: string): string {
  return join(stateDir, "withdrawals.jsonl");
}

export function loadPending(stateDir: string, chainId: number, host: string): PendingWithdrawal | null {
  const path = pendingPath(stateDir, chainId, host);
  if (!existsSync(path)) return null;
  try {
    const record = JSON.parse(readFileSync(path, "utf8")) as PendingWithdrawal;
    return record.version === 1 && record.call ? record : null;
  } catch {
    // Written atomically, so only a hand edit gets here; its transactions are still in the chain layer's journal.
    return null;
  }
}

export function savePending(stateDir: string, record: PendingWithdrawal): void {
  const path = pendingPath(stateDir, record.chainId, record.host);
  try {
    atomicWriteFileSync(path, JSON.stringify(record, null, 2));
  } catch (cause) {
    throw new HostError(HostLedgerErrors.LEDGER_IO, `Could not record the withdrawal in ${path}: ${(cause as Error).message}. Nothing was sent.`, { cause });
  }
}

export function clearPending(stateDir: string, record: Pick<PendingWithdrawal, "chainId" | "host">): void {
  rmSync(pendingPath(stateDir, record.chainId, record.host), { force: true });
}

export function appendHistory(stateDir: string, entry: WithdrawalHistoryEntry): string {
  const path = historyPath(stateDir);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  appendFileSync(path, JSON.stringify(entry) + "\n", { mode: 0o600 });
  return path;
}

export function readHistory(stateDir: string): WithdrawalHistoryEntry[] {
  const path = historyPath(stateDir);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as WithdrawalHistoryEntry];
      } catch {
        return []; // a line cut short by a crash
      }
    });
}
