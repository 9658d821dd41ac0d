import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderTable } from "../../table.ts";
import type { PricingView } from "../../../host/pricing/show.ts";

export class PricingShowCommand extends HostCommand {
  static override paths = [["pricing", "show"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Pricing",
    description: "Show this host's prices",
    details: `
      For every served and configured model and both tokens: the price on chain and the price in the config, in people's units (USD per million tokens, ETH per thousand tokens) and in contract units, with the contract's bounds. A served model without a price for a token is flagged: sessions for that pair revert.

      --offline shows the config's prices for the configured models without reading the chain (no RPC is contacted): whether a model is served, its price on chain and the contract's bounds are then unknown (null in --json).
    `,
    examples: [
      ["Show prices", "$0 pricing show"],
      ["One model, as JSON", "$0 pricing show --model CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf --json"],
      ["What the config asks for, without the chain", "$0 pricing show --offline"],
    ],
  });

  model = Option.String("--model", { description: "Only this model (repo:file or id)" });
  offline = Option.Boolean("--offline", false, { description: "The config's prices only; the chain is not read" });

  async run(): Promise<void> {
    // Each path loads only what it needs: --offline neither ethers nor the chain client.
    const view = this.offline
      ? await (await import("../../../host/pricing/configured.ts")).configuredPricing(this.context, { model: this.model })
      : await (await import("../../../host/pricing/show.ts")).showPricing(this.context, { model: this.model });
    writeResult(this.context, view, () => render(view));
  }
}

function render(view: PricingView): string {
  if (view.source === "config") {
    const rows = view.rows.map((r) => [r.model, r.token.toUpperCase(), `${r.configuredHuman} (${r.configuredFrom})`, r.configured.toString(), r.unit]);
    const head = `Configured prices of ${view.address ?? "this host"} for ${view.network} (the chain was not read):`;
    const body = rows.length
      ? renderTable(["MODEL", "TOKEN", "CONFIG", "RAW", "UNIT"], rows).trimEnd()
      : "No models in the config: fabstir-host config set models <repo:file>";
    return [head, body].join("\n");
  }
  const rows = view.rows.map((r) => [
    r.model,
    r.token.toUpperCase(),
    r.onChainHuman ?? (r.served ? "NONE (sessions revert)" : "-"),
    String(r.onChain ?? "-"),
    `${r.configuredHuman} (${r.configuredFrom})`,
    r.unit,
  ]);
  const known = view.bounds;
  const bounds = known
    ? (["usdc", "eth"] as const).map((token) => {
        const b = known[token];
        return `${token.toUpperCase()} bounds: ${b.minHuman} to ${b.maxHuman} ${b.unit} (contract units ${b.min} to ${b.max})`;
      })
    : [];
  const head = view.registered
    ? `Prices of ${view.address} on ${view.network}:`
    : `${view.address ?? "This host"} is not registered on ${view.network}; configured prices:`;
  const missing = view.missing ?? 0;
  const tail =
    missing > 0 ? [`${missing} served model/token pair${missing === 1 ? " has" : "s have"} no price: fabstir-host register (or pricing set) adds them.`] : [];
  return [head, renderTable(["MODEL", "TOKEN", "ON CHAIN", "RAW", "CONFIG", "UNIT"], rows).trimEnd(), ...bounds, ...tail].join("\n");
}
