import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class UpdateModelsCommand extends HostCommand {
  static override paths = [["update","models"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Change the served models on chain, and price new ones",
    details: "Sets the supported models and prices every new model for ETH and USDC in the same run.",
    examples: [
      ["Serve two models", "$0 update models repoA:fileA.gguf repoB:fileB.gguf"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("update models");
  }
}
