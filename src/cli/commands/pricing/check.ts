import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { openHost } from "../../../host/operation/connect.ts";
import { modelIdFromInput } from "../../../host/models/registry.ts";
import { pricingCheck } from "../../../economics/pricing-check.ts";
import { renderPricingCheck } from "../../render/pricing-check.ts";

export class PricingCheckCommand extends HostCommand {
  static override paths = [["pricing", "check"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Pricing",
    description: "Compare each price with what a proof costs now",
    details:
      "For every served model × token price on chain: what one checkpoint earns at the proof interval clients use (the SDK's 1,000 tokens, and the smallest interval of recent sessions), what a proof and a settlement cost at the current base fee (gas from the medians of this host's own transactions, estimates before it has any), and the break-even price. Warns for every price below it. USDC prices are compared only with economics.ethUsd set. Sends nothing; never asks for a password.",
    examples: [
      ["Check every price", "$0 pricing check"],
      ["As JSON", "$0 pricing check --json"],
    ],
  });

  model = Option.String("--model", { description: "Only this model (repo:file or id)" });

  async run(): Promise<void> {
    const context = this.context;
    if (this.model !== undefined) modelIdFromInput(this.model); // a bad name fails before any chain access
    const host = await openHost(context); // no config or no wallet fails before any chain access too
    try {
      const report = await pricingCheck({
        chain: host.chain,
        address: host.address,
        stateDir: context.paths.stateDir,
        ethUsd: host.config.economics?.ethUsd ?? null,
        model: this.model,
      });
      writeResult(context, report, () => renderPricingCheck(report));
    } finally {
      host.close();
    }
  }
}
