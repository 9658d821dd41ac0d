import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class WalletCreateCommand extends HostCommand {
  static override paths = [["wallet","create"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Create a new host key",
    details: "Generates a key from a new BIP-39 mnemonic and stores it in the OS keychain, or in an encrypted keystore file when no keychain works. On a terminal the mnemonic is shown once and you confirm a few words; it is never printed to a pipe unless --show-mnemonic is given.",
    examples: [
      ["Create a key in the best available store", "$0 wallet create"],
      ["Create a key in an encrypted keystore file", "$0 wallet create --backend keystore --password-file ./pw.txt"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("wallet create");
  }
}
