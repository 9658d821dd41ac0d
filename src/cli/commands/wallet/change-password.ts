import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class WalletChangePasswordCommand extends HostCommand {
  static override paths = [["wallet","change-password"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Change the keystore password",
    details: "Re-encrypts the keystore file atomically: the old file stays until the new one is safely written.",
    examples: [
      ["Change the password", "$0 wallet change-password"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("wallet change-password");
  }
}
