/**
 * The ledger as people read it, folded from the cached events: one row per session (tokens proved, net amount
 * credited), one per withdrawal, and totals per payment token. `since` keeps sessions settled (or, while active,
 * opened) at or after it, and withdrawals made at or after it.
 */
import { amountOf, paymentTokenOf, type PaymentToken } from "./amounts.ts";
import { billingOf } from "./billing.ts";
import type { LedgerEvent, LedgerFile, LedgerView, SessionLedgerRow, TokenTotals, WithdrawalRow } from "./types.ts";

export interface ViewOptions {
  usdcAddress: string;
  /** Epoch ms; null or undefined for everything. */
  since?: number | null;
}

type Settled = Extract<LedgerEvent, { kind: "settled" }>;
type Money = Extract<LedgerEvent, { kind: "credited" | "withdrawn" }>;

const iso = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? null : new Date(seconds * 1000).toISOString());

export function buildLedgerView(file: LedgerFile, options: ViewOptions): LedgerView {
  const sinceSeconds = options.since === null || options.since === undefined ? null : Math.floor(options.since / 1000);
  const proofs = new Map<string, { count: number; tokens: bigint }>();
  const settlements = new Map<string, Settled>();
  const credits: Money[] = [];
  const withdrawals: Money[] = [];
  for (const event of file.events) {
    if (event.kind === "proof") {
      const entry = proofs.get(event.jobId) ?? { count: 0, tokens: 0n };
      entry.count += 1;
      entry.tokens += BigInt(event.tokens);
      proofs.set(event.jobId, entry);
    } else if (event.kind === "settled") settlements.set(event.jobId, event);
    else if (event.kind === "credited") credits.push(event);
    else withdrawals.push(event);
  }

  // A settlement's credit is the EarningsCredited of the same transaction in the session's token.
  const creditsByTx = new Map<string, Money[]>();
  for (const credit of credits) creditsByTx.set(credit.tx, [...(creditsByTx.get(credit.tx) ?? []), credit]);
  const attributed = new Set<Money>();

  const rows: SessionLedgerRow[] = [];
  for (const session of Object.values(file.sessions).sort((a, b) => Number(BigInt(a.jobId) - BigInt(b.jobId)))) {
    const token = session.token ? paymentTokenOf(session.token, options.usdcAddress) : null;
    const settled = settlements.get(session.jobId);
    const proved = proofs.get(session.jobId) ?? { count: 0, tokens: 0n };
    let credited: bigint | null = null;
    if (settled) {
      const matching = (creditsByTx.get(settled.tx) ?? []).filter((c) => c.token.toLowerCase() === session.token?.toLowerCase() && !attributed.has(c));
      const credit = matching[0];
      if (credit) attributed.add(credit);
      credited = credit ? BigInt(credit.amount) : 0n;
    }
    const when = settled?.time ?? session.openedAt;
    if (sinceSeconds !== null && (when === null || when < sinceSeconds)) continue;
    rows.push({
      jobId: session.jobId,
      token,
      tokenAddress: session.token,
      status: settled ? settled.outcome : "active",
      payer: session.depositor,
      origin: session.origin ?? null,
      delegate: session.delegate ?? null,
      billing: settled
        ? billingOf({
            tokensUsed: BigInt(settled.tokensUsed || proved.tokens),
            proofInterval: session.proofInterval ? BigInt(session.proofInterval) : null,
            credited: BigInt(settled.hostEarnings),
          })
        : null,
      tokensProved: proved.tokens.toString(),
      proofs: proved.count,
      credited: token && credited !== null ? amountOf(token, credited) : null,
      openedAt: iso(session.openedAt),
      settledAt: iso(settled?.time),
      settleTx: settled?.tx ?? null,
    });
  }

  const inWindow = (event: Money) => sinceSeconds === null || (event.time !== null && event.time >= sinceSeconds);
  const withdrawalRows: WithdrawalRow[] = withdrawals.filter(inWindow).map((w) => {
    const token = paymentTokenOf(w.token, options.usdcAddress);
    return { token, tokenAddress: w.token, amount: token ? amountOf(token, BigInt(w.amount)) : null, at: iso(w.time), tx: w.tx, block: w.block };
  });

  const totals = {} as Record<PaymentToken, TokenTotals>;
  for (const token of ["eth", "usdc"] as const) {
    const of = (event: Money) => paymentTokenOf(event.token, options.usdcAddress) === token;
    const sum = (events: Money[]) => events.filter(of).reduce((total, e) => total + BigInt(e.amount), 0n);
    const sessions = rows.filter((r) => r.token === token);
    totals[token] = {
      sessions: sessions.length,
      tokensProved: sessions.reduce((total, r) => total + BigInt(r.tokensProved), 0n).toString(),
      // Every credit in the window counts, also one the ledger cannot tie to a session (one settled before its first block).
      credited: amountOf(token, sum(credits.filter(inWindow))),
      withdrawn: amountOf(token, sum(withdrawals.filter(inWindow))),
      outstanding: amountOf(token, sum(credits) - sum(withdrawals)),
    };
  }

  return {
    address: file.host,
    chainId: file.chainId,
    scannedTo: file.scannedTo,
    since: options.since === null || options.since === undefined ? null : new Date(options.since).toISOString(),
    sessions: rows,
    withdrawals: withdrawalRows,
    totals,
  };
}
