import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class PricingSetCommand extends HostCommand {
  static override paths = [["pricing","set"]];

  static override usage = Command.Usage({
    category: "Pricing",
    description: "Set prices for one model or all models",
    details: "--usdc is dollars per million tokens; --eth is ETH per thousand tokens. Values are converted exactly and checked against the contract's bounds before anything is sent.",
    examples: [
      ["$5 per million tokens for every model", "$0 pricing set --usdc 5"],
      ["ETH price for one model", "$0 pricing set --model CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf --eth 0.000002"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("pricing set");
  }
}
