/** The ledger for a terminal (tables) and for spreadsheets (CSV: one row per session and per withdrawal). */
import { renderFields, renderTable } from "../table.ts";
import { TOKEN_SYMBOL, type TokenAmount } from "../../host/ledger/amounts.ts";
import type { EarningsReport } from "../../host/ledger/earnings.ts";

const money = (amount: TokenAmount | null) => (amount ? `${amount.value} ${TOKEN_SYMBOL[amount.token]}` : "-");
const day = (iso: string | null) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");
const statusWord = { active: "active", completed: "completed", timed_out: "timed out" } as const;
/** Only what differs from a plain session is spelled out: the early-cancel credit and the minimum-billed floor. */
const billingWord = { "early-cancel": "early cancel", minimum: "minimum", tokens: "tokens" } as const;

export function renderEarnings(report: EarningsReport): string {
  const parts: string[] = [];
  const window = report.since ? ` since ${day(report.since)}` : "";
  if (report.sessions.length === 0) parts.push(`No sessions${window} for ${report.address}.\n`);
  else {
    const rows = report.sessions.map((s) => [
      s.jobId,
      s.token ? TOKEN_SYMBOL[s.token] : (s.tokenAddress ?? "?"),
      statusWord[s.status],
      s.origin ?? "-",
      s.billing ? billingWord[s.billing] : "-",
      s.tokensProved,
      String(s.proofs),
      money(s.credited),
      day(s.settledAt ?? s.openedAt),
    ]);
    parts.push(
      `Sessions${window}\n` + renderTable(["JOB", "TOKEN", "STATUS", "OPENED BY", "BILLED", "TOKENS PROVED", "PROOFS", "CREDITED", "SETTLED/OPENED"], rows),
    );
  }
  if (report.withdrawals.length > 0) {
    const rows = report.withdrawals.map((w) => [day(w.at), money(w.amount), w.tx]);
    parts.push(`Withdrawals${window}\n` + renderTable(["WHEN", "AMOUNT", "TRANSACTION"], rows));
  }
  const totals = (["eth", "usdc"] as const).map((token) => {
    const t = report.totals[token];
    return [TOKEN_SYMBOL[token], String(t.sessions), t.tokensProved, money(t.credited), money(t.withdrawn), money(t.outstanding), money(report.onChain[token])];
  });
  parts.push(`Totals${window}\n` + renderTable(["TOKEN", "SESSIONS", "TOKENS PROVED", "CREDITED", "WITHDRAWN", "OUTSTANDING", "IN HOSTEARNINGS NOW"], totals));
  const notes: [string, string][] = [["Scanned to block", String(report.scannedTo)]];
  if (!report.reconciled) notes.push(["Note", "the ledger's outstanding amounts differ from HostEarnings (history before its first block is not in it)"]);
  parts.push(renderFields(notes));
  return parts.join("\n");
}

// New columns go last, so a spreadsheet built on the earlier columns keeps working.
const CSV_HEADER = [
  "type",
  "job_id",
  "token",
  "status",
  "tokens_proved",
  "proofs",
  "amount",
  "amount_base_units",
  "opened_at",
  "settled_at",
  "tx",
  "billing",
  "origin",
  "payer",
];

export function renderEarningsCsv(report: EarningsReport): string {
  const lines = [CSV_HEADER.join(",")];
  for (const s of report.sessions) {
    lines.push(
      csvRow([
        "session",
        s.jobId,
        s.token ?? s.tokenAddress ?? "",
        s.status,
        s.tokensProved,
        String(s.proofs),
        s.credited?.value ?? "",
        s.credited?.raw ?? "",
        s.openedAt ?? "",
        s.settledAt ?? "",
        s.settleTx ?? "",
        s.billing ?? "",
        s.origin ?? "",
        s.payer,
      ]),
    );
  }
  for (const w of report.withdrawals) {
    lines.push(csvRow(["withdrawal", "", w.token ?? w.tokenAddress, "", "", "", w.amount?.value ?? "", w.amount?.raw ?? "", "", w.at ?? "", w.tx, "", "", ""]));
  }
  return lines.join("\n") + "\n";
}

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
function csvRow(cells: string[]): string {
  return cells
    .map((cell) => {
      const safe = /^[=+\-@]/.test(cell) && !/^-?\d/.test(cell) ? `'${cell}` : cell;
      return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    })
    .join(",");
}
