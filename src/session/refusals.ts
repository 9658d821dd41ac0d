/**
 * Refused session_inits, summed per address: a flood of invented job ids becomes one line and one alert per address
 * and window ("300 sessions refused for unknown jobs from 203.0.113.9"), never one per init.
 */
import type { RefusalCode } from "./job-gate.ts";
import { realAfter, type Clock } from "../util/clock.ts";

export interface RefusalSummary {
  address: string;
  count: number;
  /** How many of each reason. */
  reasons: Partial<Record<RefusalCode, number>>;
  /** A few of the job ids named, for the operator. */
  jobs: string[];
  firstAt: number;
}

export interface RefusalTallyOptions {
  windowMs: number;
  now: () => number;
  /** The window's timer (default: a real one). */
  after?: Clock["after"];
  report: (summary: RefusalSummary) => void;
  /** Addresses tracked at once; beyond it the oldest window is reported early. */
  maxAddresses?: number;
}

export class RefusalTally {
  private readonly open = new Map<string, { summary: RefusalSummary; cancel: () => void }>();

  constructor(private readonly options: RefusalTallyOptions) {}

  note(address: string, code: RefusalCode, jobId: string | undefined): void {
    let entry = this.open.get(address);
    if (!entry) {
      if (this.open.size >= (this.options.maxAddresses ?? 1000)) this.flush(this.open.keys().next().value!);
      const summary: RefusalSummary = { address, count: 0, reasons: {}, jobs: [], firstAt: this.options.now() };
      const cancel = (this.options.after ?? realAfter)(this.options.windowMs, () => this.flush(address));
      entry = { summary, cancel };
      this.open.set(address, entry);
    }
    const { summary } = entry;
    summary.count++;
    summary.reasons[code] = (summary.reasons[code] ?? 0) + 1;
    if (jobId !== undefined && summary.jobs.length < 5 && !summary.jobs.includes(jobId)) summary.jobs.push(jobId.slice(0, 24));
  }

  /** Reports every open window now (the front stops). */
  flushAll(): void {
    for (const address of [...this.open.keys()]) this.flush(address);
  }

  private flush(address: string): void {
    const entry = this.open.get(address);
    if (!entry) return;
    entry.cancel();
    this.open.delete(address);
    this.options.report(entry.summary);
  }
}

/** One sentence for a log line or an alert. */
export function describeRefusals(summary: RefusalSummary): string {
  const reasons = Object.entries(summary.reasons)
    .map(([code, n]) => `${n} ${REASON_WORDS[code as RefusalCode]}`)
    .join(", ");
  return `${summary.count} session${summary.count === 1 ? "" : "s"} refused for unknown jobs from address ${summary.address} (${reasons}${summary.jobs.length ? `; jobs ${summary.jobs.join(", ")}` : ""})`;
}

const REASON_WORDS: Record<RefusalCode, string> = {
  INVALID_REQUEST: "without a session id",
  INVALID_JOB_ID: "without a valid job id",
  JOB_NOT_FOUND: "for jobs that do not exist",
  JOB_NOT_ACTIVE: "for finished jobs",
  JOB_WRONG_HOST: "for another host's jobs",
  JOB_BELOW_FLOOR: "below the job floor",
};
