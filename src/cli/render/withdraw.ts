/** What `withdraw` shows before asking, and the receipt after. */
import { explorerTxUrl, type ResolvedNetwork } from "../../chain/networks.ts";
import { renderFields } from "../table.ts";
import { TOKEN_SYMBOL, type TokenAmount } from "../../host/ledger/amounts.ts";
import type { WithdrawResult } from "../../host/withdraw/execute.ts";
import type { WithdrawPreview } from "../../host/withdraw/prepare.ts";

const money = (a: TokenAmount) => `${a.value} ${TOKEN_SYMBOL[a.token]}`;

export function renderPreview(preview: WithdrawPreview): string {
  const fields: [string, string][] = [];
  if (preview.resumed)
    fields.push(["Resuming", `the withdrawal started at ${preview.startedAt} (it was interrupted); run withdraw again afterwards for anything newer`]);
  fields.push(["Host", `${preview.address} on ${preview.network}`]);
  fields.push(["In HostEarnings", `${money(preview.available.eth)} · ${money(preview.available.usdc)}`]);
  fields.push(["Withdraw", preview.withdraw.map((w) => `${w.all ? "all " : ""}${money(w.amount)}`).join(" and ") + ` (${preview.method})`]);
  if (preview.gas) {
    fields.push(["Gas", `≈ ${money(preview.gas.cost)} (gas limit ${preview.gas.limit}); the wallet holds ${money(preview.wallet.eth)}`]);
    if (preview.gas.sweepCost) fields.push(["Sweep gas", `≈ ${money(preview.gas.sweepCost)}`]);
  }
  if (preview.to) fields.push(["Then send to", `${preview.to} (ETH: less what the wallet keeps for gas)`]);
  return renderFields(fields);
}

export function renderWithdrawal(result: WithdrawResult, network: Pick<ResolvedNetwork, "explorerUrl">): string {
  const fields: [string, string][] = [];
  const withdrawn = Object.values(result.withdrawn);
  fields.push(["Withdrawn", withdrawn.length > 0 ? withdrawn.map(money).join(" and ") : "nothing (HostEarnings was already empty)"]);
  const link = explorerTxUrl(network, result.tx.hash);
  fields.push([
    "Transaction",
    `${result.tx.hash} (block ${result.tx.block}, fee ${money(result.tx.fee)})${result.tx.reused ? " — sent by an earlier run" : ""}`,
  ]);
  if (link) fields.push(["Explorer", link]);
  for (const sweep of result.sweeps) {
    const what = sweep.skipped ? `not sent: ${sweep.skipped}` : `${money(sweep.amount)} to ${sweep.to} in ${sweep.tx}`;
    fields.push([`Sweep ${TOKEN_SYMBOL[sweep.token]}`, what]);
  }
  fields.push(["Recorded in", result.historyFile]);
  return renderFields(fields);
}
