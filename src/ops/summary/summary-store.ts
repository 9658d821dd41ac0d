/**
 * On-disk side of the daily summary: `<state>/summaries/<YYYY-MM-DD>.json` per finished day (UTC), and
 * `current.json` for the day still being counted. Files are replaced atomically (write, then rename).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DaySummary {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  sessions: number;
  tokensGenerated: number;
  tokensProven: number;
  proofsSubmitted: number;
  proofsFailed: number;
  /** Per payment token ("eth", "usdc"), in the token's base units (wei, USDC micro-units), as decimal strings. */
  earnings: Record<string, string>;
  /** Fees the host paid for transactions found that day, wei (decimal string); absent in files written before it was counted. */
  gasSpentWei?: string;
  nodeRestarts: number;
  rpcErrors: number;
  /** Tokens settled sessions were billed beyond what their clients were served; absent in files written before it was counted. */
  tokensOverBilled?: number;
  /** Ids of the counting periods merged into this day; a period merged twice would be ignored the second time. */
  segments: string[];
}

export interface OpenDay {
  segment: string;
  summary: DaySummary;
}

export function emptySummary(day: string): DaySummary {
  return {
    day,
    sessions: 0,
    tokensGenerated: 0,
    tokensProven: 0,
    proofsSubmitted: 0,
    proofsFailed: 0,
    earnings: {},
    nodeRestarts: 0,
    rpcErrors: 0,
    segments: [],
  };
}

export function summariesDir(stateDir: string): string {
  return join(stateDir, "summaries");
}

function writeAtomically(file: string, value: unknown): void {
  mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
  renameSync(temporary, file);
}

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined; // a torn file from a crash: start that part over rather than stop the host
  }
}

export function loadOpenDay(stateDir: string): OpenDay | undefined {
  const open = readJson<OpenDay>(join(summariesDir(stateDir), "current.json"));
  return open && typeof open.segment === "string" && open.summary && typeof open.summary.day === "string" ? open : undefined;
}

export function saveOpenDay(stateDir: string, open: OpenDay): void {
  writeAtomically(join(summariesDir(stateDir), "current.json"), open);
}

export function readDaySummary(stateDir: string, day: string): DaySummary | undefined {
  return readJson<DaySummary>(join(summariesDir(stateDir), `${day}.json`));
}

/** Adds a finished period to its day's file. Returns the day's totals, or undefined if it was merged already. */
export function mergeIntoDay(stateDir: string, open: OpenDay): DaySummary | undefined {
  const file = join(summariesDir(stateDir), `${open.summary.day}.json`);
  const existing = readJson<DaySummary>(file);
  if (existing?.segments?.includes(open.segment)) return undefined;
  const total = existing ? addSummaries(existing, open.summary) : { ...open.summary };
  total.segments = [...(existing?.segments ?? []), open.segment];
  writeAtomically(file, total);
  return total;
}

function addSummaries(a: DaySummary, b: DaySummary): DaySummary {
  const earnings: Record<string, string> = { ...a.earnings };
  for (const [token, amount] of Object.entries(b.earnings)) earnings[token] = (BigInt(earnings[token] ?? "0") + BigInt(amount)).toString();
  return {
    day: a.day,
    sessions: a.sessions + b.sessions,
    tokensGenerated: a.tokensGenerated + b.tokensGenerated,
    tokensProven: a.tokensProven + b.tokensProven,
    proofsSubmitted: a.proofsSubmitted + b.proofsSubmitted,
    proofsFailed: a.proofsFailed + b.proofsFailed,
    earnings,
    gasSpentWei: (BigInt(a.gasSpentWei ?? "0") + BigInt(b.gasSpentWei ?? "0")).toString(),
    nodeRestarts: a.nodeRestarts + b.nodeRestarts,
    rpcErrors: a.rpcErrors + b.rpcErrors,
    tokensOverBilled: (a.tokensOverBilled ?? 0) + (b.tokensOverBilled ?? 0),
    segments: a.segments,
  };
}
