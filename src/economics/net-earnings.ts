/**
 * Gross credited, gas spent, net: per job, per model, per payment token and in total. Gas is paid in ETH; a USDC
 * session's net is shown only when the operator gave an ETH/USD rate (`economics.ethUsd`), never by adding amounts of
 * different tokens. Host-wide transactions (registration, pricing, withdrawals) count in the total only.
 */
import { amountOf, type PaymentToken, type TokenAmount } from "../host/ledger/amounts.ts";
import type { LedgerFile, SessionLedgerRow } from "../host/ledger/types.ts";
import { GAS_KINDS, type GasEntry, type GasKind, type GasLedgerFile } from "./gas-types.ts";
import { weiToUsdc } from "./rates.ts";

export interface JobNet {
  jobId: string;
  token: PaymentToken | null;
  model: string | null;
  credited: TokenAmount | null;
  /** Proofs and the settlement the host sent for this job. */
  gas: TokenAmount;
  transactions: number;
  /** In the session's token: credited − gas (gas converted at ethUsd for USDC); null where it cannot be said. */
  net: TokenAmount | null;
}

export interface GroupNet {
  sessions: number;
  credited: TokenAmount;
  gas: TokenAmount;
  net: TokenAmount | null;
}

export interface NetEarnings {
  ethUsd: number | null;
  jobs: JobNet[];
  byModel: Array<{ model: string | null; token: PaymentToken } & GroupNet>;
  byToken: Record<PaymentToken, GroupNet>;
  gasByKind: Partial<Record<GasKind, { transactions: number; gasUsed: string; fee: TokenAmount }>>;
  totals: {
    /** Every transaction of the host in the window, sessions and host-wide ones. */
    gas: TokenAmount;
    transactions: number;
    /** ETH credited − all gas. */
    netEth: TokenAmount;
    /** Both tokens and all gas in USDC at ethUsd; null without a rate. */
    netUsd: TokenAmount | null;
  };
}

export interface NetOptions {
  /** The view's session rows (already limited to the window). */
  sessions: SessionLedgerRow[];
  ledger: Pick<LedgerFile, "sessions">;
  gas: Pick<GasLedgerFile, "entries">;
  /** Epoch ms; gas entries before it are left out. */
  since: number | null;
  ethUsd: number | null;
  /** Model ids to names (repo:file) the host knows without asking the chain (its config); others stay ids. */
  modelNames?: Map<string, string>;
}

export function buildNetEarnings(options: NetOptions): NetEarnings {
  const sinceSeconds = options.since === null ? null : Math.floor(options.since / 1000);
  const entries = Object.values(options.gas.entries).filter((e) => sinceSeconds === null || (e.time !== null && e.time >= sinceSeconds));
  const byJob = new Map<string, GasEntry[]>();
  // A job's gas counts with the job whatever its time, so a row's net is whole even when its proofs predate --since.
  for (const entry of Object.values(options.gas.entries)) if (entry.jobId) byJob.set(entry.jobId, [...(byJob.get(entry.jobId) ?? []), entry]);

  const jobs: JobNet[] = options.sessions.map((row) => {
    const spent = (byJob.get(row.jobId) ?? []).reduce((sum, e) => sum + BigInt(e.feeWei), 0n);
    return {
      jobId: row.jobId,
      token: row.token,
      model: nameOf(options.ledger.sessions[row.jobId]?.model ?? null, options.modelNames),
      credited: row.credited,
      gas: amountOf("eth", spent),
      transactions: byJob.get(row.jobId)?.length ?? 0,
      net: netIn(row.token, row.credited ? BigInt(row.credited.raw) : null, spent, options.ethUsd),
    };
  });

  const groups = new Map<string, { model: string | null; token: PaymentToken; sessions: number; credited: bigint; gas: bigint }>();
  const byToken = new Map<PaymentToken, { sessions: number; credited: bigint; gas: bigint }>();
  for (const job of jobs) {
    if (!job.token) continue;
    const key = `${job.model ?? ""}|${job.token}`;
    const group = groups.get(key) ?? { model: job.model, token: job.token, sessions: 0, credited: 0n, gas: 0n };
    const tokenGroup = byToken.get(job.token) ?? { sessions: 0, credited: 0n, gas: 0n };
    for (const g of [group, tokenGroup]) {
      g.sessions += 1;
      g.credited += job.credited ? BigInt(job.credited.raw) : 0n;
      g.gas += BigInt(job.gas.raw);
    }
    groups.set(key, group);
    byToken.set(job.token, tokenGroup);
  }
  const group = (token: PaymentToken, g: { sessions: number; credited: bigint; gas: bigint }): GroupNet => ({
    sessions: g.sessions,
    credited: amountOf(token, g.credited),
    gas: amountOf("eth", g.gas),
    net: netIn(token, g.credited, g.gas, options.ethUsd),
  });

  const gasByKind: NetEarnings["gasByKind"] = {};
  for (const kind of GAS_KINDS) {
    const of = entries.filter((e) => e.kind === kind);
    if (of.length === 0) continue;
    gasByKind[kind] = {
      transactions: of.length,
      gasUsed: of.reduce((sum, e) => sum + BigInt(e.gasUsed), 0n).toString(),
      fee: amountOf(
        "eth",
        of.reduce((sum, e) => sum + BigInt(e.feeWei), 0n),
      ),
    };
  }
  const totalGas = entries.reduce((sum, e) => sum + BigInt(e.feeWei), 0n);
  const ethCredited = byToken.get("eth")?.credited ?? 0n;
  const usdcCredited = byToken.get("usdc")?.credited ?? 0n;
  const ethInUsdc = weiToUsdc(ethCredited - totalGas, options.ethUsd);
  return {
    ethUsd: options.ethUsd,
    jobs,
    byModel: [...groups.values()].map((g) => ({ model: g.model, token: g.token, ...group(g.token, g) })),
    byToken: {
      eth: group("eth", byToken.get("eth") ?? { sessions: 0, credited: 0n, gas: 0n }),
      usdc: group("usdc", byToken.get("usdc") ?? { sessions: 0, credited: 0n, gas: 0n }),
    },
    gasByKind,
    totals: {
      gas: amountOf("eth", totalGas),
      transactions: entries.length,
      netEth: amountOf("eth", ethCredited - totalGas),
      netUsd: ethInUsdc === null ? null : amountOf("usdc", ethInUsdc + usdcCredited),
    },
  };
}

function nameOf(model: string | null, names: Map<string, string> | undefined): string | null {
  return model ? (names?.get(model.toLowerCase()) ?? model) : null;
}

/** credited − gas in the session's token; USDC only through the rate. */
function netIn(token: PaymentToken | null, credited: bigint | null, gasWei: bigint, ethUsd: number | null): TokenAmount | null {
  if (!token || credited === null) return null;
  if (token === "eth") return amountOf("eth", credited - gasWei);
  const gasUsdc = weiToUsdc(gasWei, ethUsd);
  return gasUsdc === null ? null : amountOf("usdc", credited - gasUsdc);
}
