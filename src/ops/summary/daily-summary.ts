/**
 * The daily summary: counts what the host did (sessions, tokens, proofs, earnings, restarts, RPC errors) and, when
 * the UTC day rolls over, writes one line to the log and `<state>/summaries/<day>.json`.
 *
 * Time comes from the context clock. When the clock jumps back (NTP correction, a VM restored from a snapshot) events
 * keep counting into the day already open; a day is closed only when the clock moves past it, so no day is lost and
 * none is written twice. The open day survives restarts in `current.json`.
 */
import { realEvery, type Clock } from "../../util/clock.ts";
import { randomUUID } from "node:crypto";
import { formatUnits } from "ethers";
import type { Logger } from "../logging/logger-types.ts";
import { utcDay } from "../logging/log-files.ts";
import { emptySummary, loadOpenDay, mergeIntoDay, saveOpenDay, type DaySummary, type OpenDay } from "./summary-store.ts";

export type SummaryEvent =
  | { type: "session_started" }
  | { type: "tokens_generated"; count: number }
  | { type: "proof_submitted"; tokens: number }
  | { type: "proof_failed" }
  | { type: "earnings_credited"; token: string; amount: bigint | string }
  | { type: "gas_spent"; wei: bigint | string }
  | { type: "node_restarted" }
  | { type: "rpc_error" }
  | { type: "tokens_over_billed"; tokens: number };

export interface DailySummaryOptions {
  /** The repeating timer of the running host's clock (real time by default). */
  every?: Clock["every"];
  stateDir: string;
  now: () => number;
  logger: Logger;
  newSegmentId?: () => string;
}

const DECIMALS: Record<string, number> = { eth: 18, usdc: 6 };

export function summaryLine(summary: DaySummary): string {
  const earned = Object.entries(summary.earnings)
    .map(([token, amount]) => `${DECIMALS[token] !== undefined ? formatUnits(BigInt(amount), DECIMALS[token]) : amount} ${token.toUpperCase()}`)
    .join(", ");
  return (
    `daily summary ${summary.day}: ${summary.sessions} sessions, ${summary.tokensGenerated} tokens generated, ` +
    `${summary.tokensProven} proven, ${summary.proofsSubmitted} proofs submitted, ${summary.proofsFailed} failed, ` +
    `earned ${earned || "nothing"}, ${summary.nodeRestarts} node restarts, ${summary.rpcErrors} RPC errors` +
    (BigInt(summary.gasSpentWei ?? "0") > 0n ? `; ${netSentence(summary)}` : "") +
    ((summary.tokensOverBilled ?? 0) > 0 ? `; ${summary.tokensOverBilled} tokens billed beyond what clients were served (see the proofs log)` : "")
  );
}

/**
 * "net −0.0003 ETH on 12 sessions (gas 0.0004 ETH)": ETH earned minus the gas of the day. USDC earnings are named
 * beside it, never added in (the day's summary has no exchange rate).
 */
export function netSentence(summary: DaySummary): string {
  const gas = BigInt(summary.gasSpentWei ?? "0");
  const net = BigInt(summary.earnings.eth ?? "0") - gas;
  const sign = net < 0n ? "−" : "";
  const usdc = summary.earnings.usdc && BigInt(summary.earnings.usdc) > 0n ? ` and ${formatUnits(BigInt(summary.earnings.usdc), 6)} USDC` : "";
  return `net ${sign}${trimZeros(formatUnits(net < 0n ? -net : net, 18))} ETH${usdc} on ${summary.sessions} sessions (gas ${trimZeros(formatUnits(gas, 18))} ETH)`;
}

const trimZeros = (text: string) => text.replace(/\.0$/, "");

export class DailySummary {
  private open: OpenDay;
  private dirty = false;
  private stopTimer: (() => void) | undefined;
  private readonly newSegmentId: () => string;

  constructor(private readonly options: DailySummaryOptions) {
    this.newSegmentId = options.newSegmentId ?? randomUUID;
    this.open = loadOpenDay(options.stateDir) ?? this.fresh(utcDay(options.now()));
    this.tick();
  }

  record(event: SummaryEvent): void {
    this.tick();
    const s = this.open.summary;
    switch (event.type) {
      case "session_started":
        s.sessions++;
        break;
      case "tokens_generated":
        s.tokensGenerated += Math.max(0, event.count);
        break;
      case "proof_submitted":
        s.proofsSubmitted++;
        s.tokensProven += Math.max(0, event.tokens);
        break;
      case "proof_failed":
        s.proofsFailed++;
        break;
      case "earnings_credited":
        s.earnings[event.token] = (BigInt(s.earnings[event.token] ?? "0") + BigInt(event.amount)).toString();
        break;
      case "gas_spent":
        s.gasSpentWei = (BigInt(s.gasSpentWei ?? "0") + BigInt(event.wei)).toString();
        break;
      case "node_restarted":
        s.nodeRestarts++;
        break;
      case "rpc_error":
        s.rpcErrors++;
        break;
      case "tokens_over_billed":
        s.tokensOverBilled = (s.tokensOverBilled ?? 0) + Math.max(0, event.tokens);
        break;
    }
    this.dirty = true;
  }

  /** Closes the open day if the clock has moved past it. Returns the day's totals when one was written. */
  tick(): DaySummary | undefined {
    const today = utcDay(this.options.now());
    if (today <= this.open.summary.day) return undefined;
    const closing = this.open;
    let written: DaySummary | undefined;
    try {
      written = mergeIntoDay(this.options.stateDir, closing);
      if (written) this.options.logger.info(summaryLine(written), { summary: written });
    } catch (error) {
      // Disk trouble: keep the day open and try again at the next tick rather than lose it.
      this.options.logger.warn("could not write the daily summary; will retry", { day: closing.summary.day, error });
      return undefined;
    }
    this.open = this.fresh(today);
    this.persist();
    return written;
  }

  /** Saves the open day so a restart goes on counting it. */
  flush(): void {
    if (this.dirty) this.persist();
  }

  current(): DaySummary {
    return structuredClone(this.open.summary);
  }

  /** Checks for rollover and saves progress every `intervalMs` (real time). */
  start(intervalMs = 60_000): void {
    this.stop();
    this.stopTimer = (this.options.every ?? realEvery)(intervalMs, () => {
      this.tick();
      this.flush();
    });
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
    this.flush();
  }

  private fresh(day: string): OpenDay {
    return { segment: this.newSegmentId(), summary: emptySummary(day) };
  }

  private persist(): void {
    try {
      saveOpenDay(this.options.stateDir, this.open);
      this.dirty = false;
    } catch {
      // Kept in memory; the next flush tries again.
    }
  }
}
