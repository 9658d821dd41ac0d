/** Shapes of the earnings ledger: what the cache keeps (raw chain facts) and what `earnings` shows (a view of them). */
import type { PaymentToken, TokenAmount } from "./amounts.ts";
import type { Billing } from "./billing.ts";

/**
 * How a session was opened: paid with the create call ("direct"), from the payer's marketplace deposit
 * (SessionCreatedByDepositor), or by a delegate the payer authorised (SessionCreatedByDelegate).
 */
export type SessionOrigin = "direct" | "deposit" | "delegate";

/** A session of this host, as its creation event and its (immutable) terms say. */
export interface LedgerSession {
  jobId: string;
  /** Who pays and gets the refund (SessionJobCreated.depositor): for a delegate's session, the payer. */
  depositor: string;
  /** null when the session was created before the first scanned block (no creation event seen); absent in old caches. */
  origin?: SessionOrigin | null;
  /** The sender of a delegate's session. */
  delegate?: string | null;
  /** sessionJobs.proofInterval: the fewest tokens a session with a proof is billed; null until read. */
  proofInterval?: string | null;
  /** Payment token address (0x0 = ETH), from sessionJobs; null until read. */
  token: string | null;
  deposit: string;
  pricePerToken: string | null;
  /** bytes32 model id, when the session was created for a model. */
  model: string | null;
  createdBlock: number;
  createdTx: string;
  /** Unix seconds (sessionJobs.startTime); null until read. */
  openedAt: number | null;
}

interface EventBase {
  block: number;
  logIndex: number;
  tx: string;
}

/** Block timestamps (unix seconds) are filled in where `--since` needs them: settlements and money movements. */
export type LedgerEvent =
  | (EventBase & { kind: "proof"; jobId: string; tokens: string })
  | (EventBase & {
      kind: "settled";
      jobId: string;
      outcome: "completed" | "timed_out";
      tokensUsed: string;
      hostEarnings: string;
      refund: string;
      time: number | null;
    })
  | (EventBase & { kind: "credited"; token: string; amount: string; time: number | null })
  | (EventBase & { kind: "withdrawn"; token: string; amount: string; time: number | null });

export interface LedgerFile {
  version: 1;
  chainId: number;
  host: string;
  contracts: { jobMarketplace: string; hostEarnings: string };
  /** First block ever scanned (the marketplace's deployment, or where the first scan began). */
  startBlock: number;
  /** Every block up to here has been scanned (the last `reorgMargin` of them are read again next time). */
  scannedTo: number;
  /** A block the cache considers final, with its hash: if the chain no longer has it, the cache is rebuilt. */
  anchor: { number: number; hash: string } | null;
  sessions: Record<string, LedgerSession>;
  events: LedgerEvent[];
  updatedAt: number;
}

export type SessionOutcome = "active" | "completed" | "timed_out";

export interface SessionLedgerRow {
  jobId: string;
  /** eth, usdc, or null for a token this CLI does not know. */
  token: PaymentToken | null;
  tokenAddress: string | null;
  status: SessionOutcome;
  /** The depositor: who paid (for a delegate's session the payer, not the delegate). */
  payer: string;
  origin: SessionOrigin | null;
  delegate: string | null;
  /** How the settlement billed the session (see billing.ts); null while active. */
  billing: Billing | null;
  /** Sum of the ProofSubmitted token counts. */
  tokensProved: string;
  proofs: number;
  /** Net amount HostEarnings credited for this session (after the treasury fee); null while active or unknown token. */
  credited: TokenAmount | null;
  openedAt: string | null;
  settledAt: string | null;
  settleTx: string | null;
}

export interface WithdrawalRow {
  token: PaymentToken | null;
  tokenAddress: string;
  amount: TokenAmount | null;
  at: string | null;
  tx: string;
  block: number;
}

export interface TokenTotals {
  sessions: number;
  tokensProved: string;
  credited: TokenAmount;
  withdrawn: TokenAmount;
  /** Credited minus withdrawn over the whole history (ignores --since): what HostEarnings should hold. */
  outstanding: TokenAmount;
}

export interface LedgerView {
  address: string;
  chainId: number;
  scannedTo: number;
  since: string | null;
  sessions: SessionLedgerRow[];
  withdrawals: WithdrawalRow[];
  totals: Record<PaymentToken, TokenTotals>;
}
