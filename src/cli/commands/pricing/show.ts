import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class PricingShowCommand extends HostCommand {
  static override paths = [["pricing","show"]];

  static override usage = Command.Usage({
    category: "Pricing",
    description: "Show this host's prices",
    details: "Prices per model and token, in human units and in contract units, with the contract's bounds.",
    examples: [
      ["Show prices", "$0 pricing show"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("pricing show");
  }
}
