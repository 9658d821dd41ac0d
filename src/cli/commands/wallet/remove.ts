import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class WalletRemoveCommand extends HostCommand {
  static override paths = [["wallet","remove"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Remove the host key from this machine",
    details: "Asks first, then removes the keychain entry and the keystore file. Make a backup before.",
    examples: [
      ["Remove the key", "$0 wallet remove"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("wallet remove");
  }
}
