import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class RegisterCommand extends HostCommand {
  static override paths = [["register"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Register this host on chain (stake, models, prices)",
    details: "Checks requirements, approves FAB for the stake, registers the node with metadata from the detected hardware and your public key, then prices every model for ETH and USDC. Interrupted midway, running it again continues where it stopped.",
    examples: [
      ["Register with the configured models and prices", "$0 register"],
      ["Without questions", "$0 register --yes"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("register");
  }
}
