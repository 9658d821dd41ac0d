import { Command, Option } from "clipanion";
import { reportWarning } from "../../../util/report.ts";
import { Warnings } from "../../../errors/codes/warnings.ts";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { breakEvenWarnings } from "../../../economics/price-warning.ts";
import { setPricing } from "../../../host/pricing/pricing.ts";
import { operationHooks, planJson, renderSent } from "../../../host/operation/present.ts";
import { describePrice } from "../../../host/pricing/steps.ts";

export class PricingSetCommand extends SigningCommand {
  static override paths = [["pricing", "set"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Pricing",
    description: "Set prices for one model or all models",
    details:
      "--usdc is dollars per million tokens; --eth is ETH per thousand tokens. Values are converted exactly and checked against the contract's bounds before anything is sent. Without --model, every model the host serves on chain is priced. Writes the chain, then the config's `prices`. Warns first when a price is below break-even at the current fees (see `pricing check`).",
    examples: [
      ["$5 per million tokens for every model", "$0 pricing set --usdc 5"],
      ["ETH price for one model", "$0 pricing set --model CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf --eth 0.000002"],
    ],
  });

  model = Option.String("--model", { description: "Only this model (repo:file or id); default: every served model" });
  usdc = Option.String("--usdc", { description: "USDC price in dollars per million tokens" });
  eth = Option.String("--eth", { description: "ETH price in ETH per thousand tokens" });

  async run(): Promise<void> {
    const context = this.context;
    const warnings = await breakEvenWarnings(context, { model: this.model, usdc: this.usdc, eth: this.eth });
    for (const warning of warnings) reportWarning(context, Warnings.PRICE_BELOW_BREAK_EVEN, `${warning} (see \`fabstir-host pricing check\`)`);
    const result = await setPricing(
      context,
      { model: this.model, usdc: this.usdc, eth: this.eth, passwordFile: this.passwordFile },
      operationHooks(context, { yes: this.yes }),
    );
    writeResult(context, { ...result, plan: planJson(result.plan), breakEvenWarnings: warnings }, () =>
      result.unchanged
        ? "The chain already has these prices; the config is up to date."
        : [...result.changes.map((c) => `${c.model} ${c.token.toUpperCase()}: ${describePrice(c.token, c.price)}`), renderSent(result.sent)].join("\n"),
    );
  }
}
