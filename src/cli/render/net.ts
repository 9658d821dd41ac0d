/** The net view for a terminal (appended to the earnings tables) and for CSV (gas and net columns per session). */
import { renderFields, renderTable } from "../table.ts";
import { TOKEN_SYMBOL, type TokenAmount } from "../../host/ledger/amounts.ts";
import type { NetEarnings } from "../../economics/net-earnings.ts";

const money = (amount: TokenAmount | null) => (amount ? `${amount.value} ${TOKEN_SYMBOL[amount.token]}` : "-");
const shortModel = (model: string | null) => (!model ? "-" : /^0x[0-9a-f]{64}$/i.test(model) ? `${model.slice(0, 10)}…` : model);

export function renderNet(net: NetEarnings): string {
  const parts: string[] = [];
  if (net.jobs.length > 0) {
    const rows = net.jobs.map((j) => [j.jobId, shortModel(j.model), money(j.credited), money(j.gas), String(j.transactions), money(j.net)]);
    parts.push("Gas and net per session\n" + renderTable(["JOB", "MODEL", "CREDITED", "GAS", "TXS", "NET"], rows));
  }
  if (net.byModel.length > 0) {
    const rows = net.byModel.map((m) => [shortModel(m.model), TOKEN_SYMBOL[m.token], String(m.sessions), money(m.credited), money(m.gas), money(m.net)]);
    parts.push("Per model\n" + renderTable(["MODEL", "TOKEN", "SESSIONS", "CREDITED", "GAS", "NET"], rows));
  }
  const kinds = Object.entries(net.gasByKind).map(([kind, k]) => [kind, String(k!.transactions), k!.gasUsed, money(k!.fee)]);
  if (kinds.length > 0) parts.push("Gas spent by kind\n" + renderTable(["KIND", "TXS", "GAS USED", "FEE"], kinds));
  const totals: [string, string][] = [
    ["Gas spent", `${money(net.totals.gas)} in ${net.totals.transactions} transactions`],
    ["Net ETH (ETH credited − all gas)", money(net.totals.netEth)],
    ["USDC credited", money(net.byToken.usdc.credited)],
    ["Net in USD", net.totals.netUsd ? `${money(net.totals.netUsd)} at ${net.ethUsd} USD/ETH` : "- (set economics.ethUsd to add USDC and ETH up)"],
  ];
  parts.push("Net\n" + renderFields(totals));
  return parts.join("\n");
}

/**
 * The earnings CSV (src/host/ledger/render.ts) with four more columns: gas in ETH and wei, net in the session's
 * token. Session rows begin `session,<jobId>,` (a job id is digits, never quoted); withdrawal rows get empty cells.
 */
export function withNetColumns(csv: string, net: NetEarnings): string {
  const byJob = new Map(net.jobs.map((j) => [j.jobId, j]));
  const lines = csv.replace(/\n$/, "").split("\n");
  const out = lines.map((line, i) => {
    if (i === 0) return `${line},gas_eth,gas_wei,net,net_base_units`;
    const job = /^session,(\d+),/.exec(line) ? byJob.get(line.split(",")[1]!) : undefined;
    return `${line},${job ? [job.gas.value, job.gas.raw, job.net?.value ?? "", job.net?.raw ?? ""].join(",") : ",,,"}`;
  });
  return out.join("\n") + "\n";
}
