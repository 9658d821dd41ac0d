import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class WalletExportCommand extends HostCommand {
  static override paths = [["wallet","export"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Print the raw private key (dangerous)",
    details: "Only with --insecure, and after a typed confirmation on a terminal. Prefer `wallet backup`, which always writes an encrypted file.",
    examples: [
      ["Export the key", "$0 wallet export --insecure"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("wallet export");
  }
}
