/** `pricing check` for a terminal: the cost basis, then one row per price and interval, then the warnings. */
import { Warnings } from "../../errors/codes/warnings.ts";
import { renderFields, renderTable } from "../table.ts";
import { formatUnitsExact } from "../../host/ledger/amounts.ts";
import type { PricingCheckReport } from "../../economics/pricing-check.ts";

const gwei = (wei: string) => `${formatUnitsExact(BigInt(wei), 9)} gwei`;
const eth = (wei: string) => `${formatUnitsExact(BigInt(wei), 18)} ETH`;

export function renderPricingCheck(report: PricingCheckReport): string {
  const b = report.basis;
  const parts = [
    renderFields([
      ["Gas price", `${gwei(b.gasPriceWei)} (base fee ${gwei(b.baseFeeWei)})`],
      ["Proof", `${b.proof.gas} gas (${b.proof.source}${b.proof.samples ? `, median of ${b.proof.samples}` : ""}) = ${eth(b.proof.costWei)}`],
      [
        "Settlement",
        `${b.settlement.gas} gas (${b.settlement.source}${b.settlement.samples ? `, median of ${b.settlement.samples}` : ""}) = ${eth(b.settlement.costWei)}`,
      ],
      ["Treasury fee", `${b.feeBasisPoints / 100}%`],
      [
        "Proof interval",
        `${b.intervals.sdkDefault} (SDK default)${b.intervals.smallestSeen ? `, smallest in ${b.intervals.sessionsLooked} recent sessions ${b.intervals.smallestSeen}` : ""}`,
      ],
    ]),
  ];
  if (report.rows.length === 0)
    parts.push(report.registered ? "No prices on chain to check.\n" : "This host is not registered: no prices on chain to check.\n");
  else {
    const rows = report.rows.map((r) => [
      r.model,
      r.token.toUpperCase(),
      r.priceHuman,
      String(r.interval),
      r.earnsPerCheckpoint.value,
      r.proofCost?.value ?? "-",
      r.breakEvenHuman ?? "-",
      r.below ? "BELOW" : r.breakEven === null ? "?" : "ok",
    ]);
    parts.push(renderTable(["MODEL", "TOKEN", "PRICE", "INTERVAL", "EARNS/CHECKPOINT", "PROOF COSTS", "BREAK-EVEN", ""], rows));
    parts.push("Prices are in ETH per thousand tokens and USD per million tokens; earnings and costs in the token.\n");
  }
  const lines = [...report.warnings.map((w) => `warning ${Warnings.PRICE_BELOW_BREAK_EVEN.code}: ${w}`), ...report.notes.map((n) => `note: ${n}`)];
  if (lines.length > 0) parts.push(lines.join("\n") + "\n");
  return parts.join("\n");
}
