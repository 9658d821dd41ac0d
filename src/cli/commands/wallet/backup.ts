import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class WalletBackupCommand extends HostCommand {
  static override paths = [["wallet","backup"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Write an encrypted backup of the key",
    details: "Writes a Web3 Secret Storage (v3, scrypt) keystore file to the given path, encrypted with a password you choose.",
    examples: [
      ["Back up to a USB stick", "$0 wallet backup /media/usb/fabstir-host-key.json"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("wallet backup");
  }
}
