import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class WalletImportCommand extends HostCommand {
  static override paths = [["wallet","import"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Import an existing key or mnemonic",
    details: "Reads the private key or mnemonic from a hidden prompt, from stdin (--stdin) or from a file (--from-file); never from the command line.",
    examples: [
      ["Import from a hidden prompt", "$0 wallet import"],
      ["Import a mnemonic from a file", "$0 wallet import --mnemonic --from-file ./words.txt"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("wallet import");
  }
}
