import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class WalletBalanceCommand extends HostCommand {
  static override paths = [["wallet","balance"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Show ETH, FAB and USDC balances and what is missing",
    details: "Reads balances on the configured network and checks the requirements: ETH for gas and FAB for the stake.",
    examples: [
      ["Show balances", "$0 wallet balance"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("wallet balance");
  }
}
