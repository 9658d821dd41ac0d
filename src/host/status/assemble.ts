/** Turns raw chain reads into the report's registration and sessions sections (pure). */
import { fromContractPrice, HUMAN_UNIT } from "../pricing/units.ts";
import { amountOf, paymentTokenOf, type PaymentToken } from "../ledger/amounts.ts";
import { billingOf } from "../ledger/billing.ts";
import type { SettledSession, StatusCache } from "./cache.ts";
import type { StatusChainData } from "./chain-reads.ts";
import type { JournalSession } from "./local.ts";
import type { PriceStatus, RegistrationStatus, SessionState, SessionsStatus, SessionStatusRow } from "./types.ts";

const STATES: Record<number, SessionState> = { 0: "active", 1: "completed", 2: "timed_out" };

export function registrationOf(data: StatusChainData, address: string): RegistrationStatus {
  const registered = data.node.operator.toLowerCase() === address.toLowerCase();
  const price = (token: PaymentToken, value: bigint | undefined): PriceStatus | null =>
    value && value > 0n ? { contract: value.toString(), value: fromContractPrice(token, value), unit: HUMAN_UNIT[token] } : null;
  return {
    registered,
    active: registered && data.node.active,
    stake: amountOf("fab", data.node.stake),
    minStake: amountOf("fab", data.minStake),
    apiUrl: data.node.apiUrl,
    models: registered
      ? data.node.models.map((id) => ({
          id,
          name: data.modelNames.get(id) ?? null,
          prices: { eth: price("eth", data.prices.eth.get(id)), usdc: price("usdc", data.prices.usdc.get(id)) },
        }))
      : [],
  };
}

export interface AssembledSessions {
  summary: SessionsStatus;
  /** Settled sessions for the cache (their numbers never change again). */
  settled: Record<string, SettledSession>;
}

export function sessionsOf(
  data: StatusChainData,
  cache: StatusCache,
  usdcAddress: string,
  journal: Map<string, JournalSession>,
  ledgerProofs: Map<string, number>,
): AssembledSessions {
  const settled: Record<string, SettledSession> = {};
  const rows: SessionStatusRow[] = [];
  for (const id of data.sessionIds) {
    const job = data.jobs.get(id);
    const final = cache.settled[id];
    const snapshot: SettledSession | null = job
      ? {
          jobId: id,
          status: job.status,
          token: job.token,
          deposit: job.deposit.toString(),
          tokensUsed: job.tokensUsed.toString(),
          withdrawnByHost: job.withdrawnByHost.toString(),
          startTime: job.startTime,
          depositor: job.depositor,
          proofInterval: job.proofInterval.toString(),
        }
      : (final ?? null);
    if (!snapshot) continue;
    if (snapshot.status !== 0) settled[id] = snapshot;
    const token = paymentTokenOf(snapshot.token, usdcAddress);
    const local = journal.get(id);
    const proofs = Math.max(local?.proofs ?? -1, ledgerProofs.get(id) ?? -1);
    rows.push({
      jobId: id,
      status: STATES[snapshot.status] ?? "active",
      token,
      deposit: token ? amountOf(token, BigInt(snapshot.deposit)) : null,
      payer: snapshot.depositor ?? null,
      billing:
        snapshot.status === 0
          ? null
          : billingOf({
              tokensUsed: BigInt(snapshot.tokensUsed),
              proofInterval: snapshot.proofInterval ? BigInt(snapshot.proofInterval) : null,
              credited: BigInt(snapshot.withdrawnByHost),
            }),
      tokensProven: snapshot.tokensUsed,
      proofs: proofs >= 0 ? proofs : null,
      generated: local ? local.generated : null,
      credited: token && snapshot.status !== 0 ? amountOf(token, BigInt(snapshot.withdrawnByHost)) : null,
      startedAt: snapshot.startTime > 0 ? new Date(snapshot.startTime * 1000).toISOString() : null,
    });
  }
  rows.reverse(); // newest first
  const count = (state: SessionState) => rows.filter((r) => r.status === state).length;
  return {
    summary: {
      active: count("active"),
      completed: count("completed"),
      timedOut: count("timed_out"),
      total: rows.length,
      tokensProven: rows.reduce((sum, r) => sum + BigInt(r.tokensProven), 0n).toString(),
      proofs: rows.reduce((sum, r) => sum + (r.proofs ?? 0), 0),
      list: rows,
    },
    settled,
  };
}
