/** `--since`: a date ("2026-01-31", UTC midnight), an ISO time, or a duration back from now ("90m", "12h", "7d", "2w"). */
import { HostError } from "../../errors/host-error.ts";
import { HostLedgerErrors } from "../../errors/codes/host-ledger.ts";

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Epoch ms of the start of the window. */
export function parseSince(text: string, now: number): number {
  const value = text.trim();
  const duration = /^(\d+)\s*([smhdw])$/i.exec(value);
  if (duration) return now - Number(duration[1]) * UNIT_MS[duration[2]!.toLowerCase()]!;
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const parsed = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value.replace(" ", "T"));
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new HostError(HostLedgerErrors.SINCE_INVALID, `--since "${text}" is neither a date (2026-01-31) nor a duration (7d, 12h).`);
}
