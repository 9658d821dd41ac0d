import { Command, Option } from "clipanion";
import * as t from "typanion";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { clearPricing } from "../../../host/pricing/pricing.ts";
import { operationHooks, planJson, renderSent } from "../../../host/operation/present.ts";

export class PricingClearCommand extends SigningCommand {
  static override paths = [["pricing", "clear"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Pricing",
    description: "Clear a model's price for a token",
    details:
      "Removes the per-model price on chain (both tokens unless --token; every served model unless --model). There is no fallback price: sessions for a cleared pair revert until it is priced again.",
    examples: [["Clear the USDC price of a model", "$0 pricing clear --model <repo:file> --token usdc"]],
  });

  model = Option.String("--model", { description: "Only this model (repo:file or id); default: every served model" });
  token = Option.String("--token", { description: "eth or usdc; default: both", validator: t.isEnum(["eth", "usdc"] as const) });

  async run(): Promise<void> {
    const context = this.context;
    const result = await clearPricing(
      context,
      { model: this.model, token: this.token, passwordFile: this.passwordFile },
      operationHooks(context, { yes: this.yes }),
    );
    writeResult(context, { ...result, plan: planJson(result.plan) }, () =>
      result.unchanged
        ? "No price to clear."
        : [...result.changes.map((c) => `Cleared the ${c.token.toUpperCase()} price of ${c.model}.`), renderSent(result.sent)].join("\n"),
    );
  }
}
