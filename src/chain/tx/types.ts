/** Shapes of the transaction layer: what callers ask for, what the journal keeps, what they get back. */

/** What a caller wants done on chain, under an idempotency key ("proof:<jobId>:<tokens>", "register:<address>" …). */
export interface TxIntent {
  key: string;
  to: string;
  data?: string;
  value?: bigint;
  /** For people: "register host", "submit proof for session 12". Shown in logs and errors. */
  description: string;
  /** Skip estimation and use this gas limit (the simulation still runs, to catch reverts). */
  gasLimit?: bigint;
}

/**
 * planned: recorded, nothing signed · signed: raw transaction recorded, maybe not yet broadcast · sent: broadcast,
 * waiting to be mined · mined: in a block, waiting for confirmations · confirmed: done · failed: will not happen
 * (nothing of it can still be mined; a later submit with the same key plans it afresh).
 */
export type IntentState = "planned" | "signed" | "sent" | "mined" | "confirmed" | "failed";

export interface TxAttempt {
  nonce: number;
  hash: string;
  /** The signed transaction: public data, kept so a restart can broadcast exactly the same bytes. */
  raw: string;
  maxFeePerGas: string;
  maxPriorityFeePerGas: string;
  gasLimit: string;
  /**
   * Why this attempt exists: the first, a fee bump of the previous one, a new nonce after another tx took ours, or a
   * no-op (0 ETH to ourselves) at the same nonce that withdraws an intent no longer wanted.
   */
  reason: "first" | "fee-bump" | "nonce-taken" | "withdraw";
  signedAt: number;
  /** Last time it was handed to a node (first send or a re-broadcast); null until then. */
  sentAt: number | null;
}

export interface IntentReceipt {
  hash: string;
  nonce: number;
  blockNumber: number;
  blockHash: string;
  status: number;
  gasUsed: string;
  effectiveGasPrice: string;
}

export interface IntentRecord {
  version: 1;
  key: string;
  chainId: number;
  from: string;
  to: string;
  data: string;
  /** Wei, decimal string. */
  value: string;
  description: string;
  /** A caller-fixed gas limit (decimal), or null to estimate with the configured margin. */
  gasLimit: string | null;
  state: IntentState;
  createdAt: number;
  updatedAt: number;
  attempts: TxAttempt[];
  receipt: IntentReceipt | null;
  error: { code: string; message: string } | null;
  /**
   * Set when the intent was cancelled (see `TxSenderOptions.stillWanted`): its attempts from then on are no-ops. The
   * field keeps its first name, `withdrawn`, so journals written by earlier versions read the same.
   */
  withdrawn?: { at: number; reason: string };
  /** Every state change, for `--verbose` and post-mortems. */
  history: Array<{ at: number; state: IntentState; note?: string }>;
}

export interface TxResult {
  key: string;
  description: string;
  hash: string;
  from: string;
  to: string;
  nonce: number;
  blockNumber: number;
  blockHash: string;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  /** True when the intent had already been done and nothing was sent this time. */
  reused: boolean;
}

/** Points of the journal where a test may stop the process (see TxSenderOptions.hooks). */
export type TxStep = "after-plan" | "after-sign" | "after-send" | "after-mine" | "after-confirm";

export interface TxHooks {
  /** Called after each journal step is on disk. Production passes nothing; crash tests stop the process here. */
  onStep?(step: TxStep, record: IntentRecord): void | Promise<void>;
}

/** The part of an ethers Signer the sender needs: an address and offline signing. */
export interface TxSigner {
  getAddress(): Promise<string>;
  signTransaction(tx: {
    type: 2;
    chainId: bigint;
    nonce: number;
    to: string;
    data: string;
    value: bigint;
    gasLimit: bigint;
    maxFeePerGas: bigint;
    maxPriorityFeePerGas: bigint;
  }): Promise<string>;
}

export interface RecoveryOutcome {
  key: string;
  description: string;
  /** State after recovery: confirmed, failed, or still pending/busy. */
  state: IntentState | "busy";
  hash: string | null;
  error: string | null;
}
