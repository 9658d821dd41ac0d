import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class WithdrawCommand extends HostCommand {
  static override paths = [["withdraw"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Withdraw earnings from HostEarnings",
    details: "Shows balances per token and the gas estimate, asks, withdraws, and records the receipt. --to sweeps the withdrawn amount to another address.",
    examples: [
      ["Withdraw everything", "$0 withdraw --yes"],
      ["Withdraw USDC to a cold wallet", "$0 withdraw --token usdc --to 0x..."],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("withdraw");
  }
}
