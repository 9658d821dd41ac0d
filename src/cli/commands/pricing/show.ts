import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderTable } from "../../table.ts";
import { showPricing, type PricingView } from "../../../host/pricing/pricing.ts";

export class PricingShowCommand extends HostCommand {
  static override paths = [["pricing", "show"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Pricing",
    description: "Show this host's prices",
    details:
      "For every served and configured model and both tokens: the price on chain and the price in the config, in people's units (USD per million tokens, ETH per thousand tokens) and in contract units, with the contract's bounds. A served model without a price for a token is flagged: sessions for that pair revert.",
    examples: [
      ["Show prices", "$0 pricing show"],
      ["One model, as JSON", "$0 pricing show --model CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf --json"],
    ],
  });

  model = Option.String("--model", { description: "Only this model (repo:file or id)" });

  async run(): Promise<void> {
    const view = await showPricing(this.context, { model: this.model });
    writeResult(this.context, view, () => render(view));
  }
}

function render(view: PricingView): string {
  const rows = view.rows.map((r) => [
    r.model,
    r.token.toUpperCase(),
    r.onChainHuman ?? (r.served ? "NONE (sessions revert)" : "-"),
    r.onChain.toString(),
    `${r.configuredHuman} (${r.configuredFrom})`,
    r.unit,
  ]);
  const bounds = (["usdc", "eth"] as const).map((token) => {
    const b = view.bounds[token];
    return `${token.toUpperCase()} bounds: ${b.minHuman} to ${b.maxHuman} ${b.unit} (contract units ${b.min} to ${b.max})`;
  });
  const head = view.registered
    ? `Prices of ${view.address} on ${view.network}:`
    : `${view.address ?? "This host"} is not registered on ${view.network}; configured prices:`;
  const tail =
    view.missing > 0
      ? [`${view.missing} served model/token pair${view.missing === 1 ? " has" : "s have"} no price: fabstir-host register (or pricing set) adds them.`]
      : [];
  return [head, renderTable(["MODEL", "TOKEN", "ON CHAIN", "RAW", "CONFIG", "UNIT"], rows).trimEnd(), ...bounds, ...tail].join("\n");
}
