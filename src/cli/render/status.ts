/** The status screen: one page a host operator reads top to bottom, problems last and loudest. */
import { renderFields, renderTable } from "../table.ts";
import type { Style } from "../style.ts";
import { TOKEN_SYMBOL, type TokenAmount } from "../../host/ledger/amounts.ts";
import type { StatusReport } from "../../host/status/types.ts";

const money = (a: TokenAmount | null | undefined) => (a ? `${a.value} ${TOKEN_SYMBOL[a.token]}` : "-");
const STATE_WORD = { active: "active", completed: "completed", timed_out: "timed out" } as const;
const MAX_SESSION_ROWS = 8;

export function renderStatus(report: StatusReport, style: Style): string {
  const out: string[] = [];
  const where = report.block ? `, block ${report.block.number}` : "";
  out.push(style("bold", `Host ${report.address}`) + ` on ${report.network.label} (chain id ${report.network.chainId}${where})\n`);

  const fields: [string, string][] = [];
  const reg = report.registration;
  if (reg) {
    const state = !reg.registered ? style.warn("not registered") : reg.active ? style.ok("registered, active") : style.warn("registered, inactive");
    fields.push(["Registration", state]);
    if (reg.registered) {
      fields.push(["Stake", `${money(reg.stake)} (minimum ${money(reg.minStake)})`]);
      fields.push(["API URL", reg.apiUrl || "-"]);
    }
  }
  if (report.wallet) fields.push(["Wallet", [report.wallet.eth, report.wallet.fab, report.wallet.usdc].map(money).join(" · ")]);
  if (report.earnings) fields.push(["Earnings", `${money(report.earnings.eth)} · ${money(report.earnings.usdc)} in HostEarnings`]);
  if (report.net)
    fields.push([
      "Net",
      `${money(report.net.netEth)} (credited ${money(report.net.credited.eth)} · ${money(report.net.credited.usdc)}, gas ${money(report.net.gas)} in ${report.net.transactions} txs, to block ${report.net.asOfBlock})`,
    ]);
  if (report.gas)
    fields.push([
      "Gas",
      `one proof ≈ ${money(report.gas.proofCost)}${report.gas.proofsLeft !== null ? `; the wallet pays for ≈ ${report.gas.proofsLeft} proofs` : ""}`,
    ]);
  if (report.sessions) {
    const s = report.sessions;
    fields.push([
      "Sessions",
      `${s.active} active · ${s.completed} completed · ${s.timedOut} timed out · ${s.tokensProven} tokens proven in ${s.proofs} proofs`,
    ]);
  }
  fields.push(["Host process", nodeLine(report)]);
  out.push(renderFields(fields));

  if (reg?.registered && reg.models.length > 0) {
    const rows = reg.models.map((m) => [
      m.name ?? m.id,
      m.prices.eth ? m.prices.eth.value : style.warn("no price"),
      m.prices.usdc ? m.prices.usdc.value : style.warn("no price"),
    ]);
    out.push(renderTable(["MODEL", "ETH / 1K TOKENS", "USD / 1M TOKENS"], rows));
  }
  if (report.node.nodes && report.node.nodes.length > 0) {
    const rows = report.node.nodes.map((n) => [
      n.name,
      n.model ?? "-",
      n.gpus.length > 0 ? n.gpus.join("+") : "any",
      n.state,
      n.health ?? "-",
      String(n.sessions ?? 0),
      n.port === null ? "-" : String(n.port),
      String(n.restarts),
    ]);
    out.push(renderTable(["NODE", "MODEL", "GPU", "STATE", "HEALTH", "SESSIONS", "PORT", "RESTARTS"], rows));
  }
  if (report.sessions && report.sessions.list.length > 0) {
    const shown = report.sessions.list.slice(0, MAX_SESSION_ROWS);
    const rows = shown.map((s) => [
      s.jobId,
      s.billing && s.billing !== "tokens" ? `${STATE_WORD[s.status]} (${s.billing === "minimum" ? "minimum" : "early cancel"})` : STATE_WORD[s.status],
      s.token ? TOKEN_SYMBOL[s.token] : "?",
      s.tokensProven,
      s.proofs === null ? "-" : String(s.proofs),
      money(s.credited),
      s.startedAt ? s.startedAt.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-",
    ]);
    const more = report.sessions.list.length - shown.length;
    out.push(
      renderTable(["JOB", "STATUS", "TOKEN", "TOKENS PROVEN", "PROOFS", "CREDITED", "STARTED"], rows) +
        (more > 0 ? `… and ${more} older (fabstir-host earnings lists them all)\n` : ""),
    );
  }
  if (report.warnings.length > 0) {
    const lines = report.warnings.map((w) => {
      const mark = w.severity === "error" ? style.fail("✗") : w.severity === "warning" ? style.warn("!") : "·";
      return `${mark} ${w.message}${w.hint ? `\n    ${style("dim", w.hint)}` : ""}`;
    });
    out.push(`Warnings\n${lines.join("\n")}\n`);
  } else {
    out.push(style.ok("No warnings.") + "\n");
  }
  return out.join("\n");
}

function nodeLine(report: StatusReport): string {
  const n = report.node;
  if (n.status === "not-running") return "not running";
  if (n.status === "stale") return `not running (stale PID file: ${n.reason ?? "?"})`;
  const parts = [`${n.state ?? "running"} (${n.mode ?? "?"}, pid ${n.pid}${n.nodePid ? `, node pid ${n.nodePid}` : ""})`];
  if (n.uptimeSeconds !== null) parts.push(`up ${duration(n.uptimeSeconds)}`);
  return parts.join(", ");
}

export function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${seconds % 60}s`;
  return `${seconds}s`;
}
