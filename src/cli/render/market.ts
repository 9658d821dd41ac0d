/** `market` for a terminal: per model, the hosts and their prices, then this host's rank and break-even per token. */
import { renderTable } from "../table.ts";
import { humanPrice, type MarketReport } from "../../economics/market.ts";

export function renderMarket(report: MarketReport): string {
  if (report.models.length === 0) return "This host serves no model on chain; give one with --model.\n";
  const parts: string[] = [];
  for (const model of report.models) {
    const rows = [...model.hosts]
      .sort((a, b) => Number(BigInt(a.prices.eth ?? "0") - BigInt(b.prices.eth ?? "0")))
      .map((h) => [`${h.address}${h.isThisHost ? " (this host)" : ""}`, humanPrice("eth", h.prices.eth), humanPrice("usdc", h.prices.usdc), h.apiUrl]);
    parts.push(`${model.model}: ${model.hosts.length} active host(s)\n` + renderTable(["HOST", "ETH / 1K TOKENS", "USD / 1M TOKENS", "API URL"], rows));
    const summary = model.tokens.map((t) => [
      t.token.toUpperCase(),
      String(t.hostsPriced),
      humanPrice(t.token, t.lowest),
      humanPrice(t.token, t.median),
      humanPrice(t.token, t.highest),
      humanPrice(t.token, t.thisPrice),
      t.rank === null ? "-" : `${t.rank} of ${t.hostsPriced}`,
      t.breakEven === null ? "- (no ETH/USD rate)" : humanPrice(t.token, t.breakEven),
      String(t.belowBreakEven),
    ]);
    parts.push(renderTable(["TOKEN", "PRICED", "LOWEST", "MEDIAN", "HIGHEST", "THIS HOST", "RANK", "BREAK-EVEN", "BELOW IT"], summary));
  }
  parts.push(report.cached ? `Read ${new Date(report.readAt).toISOString()} (cached; --fresh reads the chain again).\n` : "");
  return parts.join("\n");
}
