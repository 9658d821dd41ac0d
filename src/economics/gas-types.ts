/** Shapes of the gas ledger: what every transaction the host sent cost, kept per chain and host address. */

/** What a transaction was for, from its journal key or from the event that found it. */
export type GasKind =
  | "approve"
  | "stake"
  | "register"
  | "unregister"
  | "pricing"
  | "update"
  | "proof"
  | "settlement"
  | "timeout"
  | "withdraw"
  | "cancel"
  | "other";

export const GAS_KINDS: readonly GasKind[] = [
  "approve",
  "stake",
  "register",
  "unregister",
  "pricing",
  "update",
  "proof",
  "settlement",
  "timeout",
  "withdraw",
  "cancel",
  "other",
];

export interface GasEntry {
  hash: string;
  block: number;
  kind: GasKind;
  /** The session a proof or settlement was for; null for host-wide transactions. */
  jobId: string | null;
  /** 1 mined and applied, 0 reverted (a reverted transaction still pays for its gas). */
  status: number;
  /** Decimal strings (bigints do not survive JSON). */
  gasUsed: string;
  effectiveGasPrice: string;
  /** The OP-stack L1 data fee the receipt reports (`l1Fee`), "0" where the chain has none. */
  l1Fee: string;
  /** gasUsed × effectiveGasPrice + l1Fee, wei. */
  feeWei: string;
  /** Where the ledger learnt of it: the CLI's transaction journal, or a chain event of the host (node-sent). */
  source: "journal" | "event";
  /** Block time, unix seconds; null until read. */
  time: number | null;
}

export interface GasLedgerFile {
  version: 1;
  chainId: number;
  host: string;
  /** By lowercase transaction hash: each transaction counted once, however many ways it was found. */
  entries: Record<string, GasEntry>;
  /** Transactions seen in events but sent by someone else (a client's timeout): not looked up again. */
  foreign: string[];
  /** Registry and FAB events have been read up to here (-1: never). */
  registryScannedTo: number;
  updatedAt: number;
}

/** A transaction the ledger should account for, before its receipt is read. */
export interface GasCandidate {
  hash: string;
  kind: GasKind;
  jobId: string | null;
  source: "journal" | "event";
}
