import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class PricingClearCommand extends HostCommand {
  static override paths = [["pricing","clear"]];

  static override usage = Command.Usage({
    category: "Pricing",
    description: "Clear a model's price for a token",
    details: "Removes the per-model price so the host's default minimum applies.",
    examples: [
      ["Clear the USDC price of a model", "$0 pricing clear --model <repo:file> --token usdc"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("pricing clear");
  }
}
