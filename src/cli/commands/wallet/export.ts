import { Command, Option } from "clipanion";
import { SigningCommand } from "../../key-commands.ts";
import { exportPrivateKey } from "../../../wallet/manage.ts";
import { walletDepsFrom } from "../../../wallet/deps.ts";
import { currentWallet, revealResult } from "./shared.ts";

export class WalletExportCommand extends SigningCommand {
  static override paths = [["wallet", "export"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Print the raw private key (dangerous)",
    details:
      "Only with --insecure. On a terminal you then type the last 6 characters of the address; without a terminal --yes is needed as well. The key is printed on stdout only (with --json, in the envelope's `privateKey`). Prefer `wallet backup`, which always writes an encrypted file.",
    examples: [
      ["Export the key", "$0 wallet export --insecure"],
      ["Export in a script (the key goes to a file you protect)", "$0 wallet export --insecure --yes --password-file ./pw.txt > key.txt"],
    ],
  });

  insecure = Option.Boolean("--insecure", false, { description: "Yes, print the raw private key" });

  async run(): Promise<void> {
    const context = this.context;
    const result = await exportPrivateKey(walletDepsFrom(context), await currentWallet(context), {
      insecure: this.insecure,
      yes: this.yes,
      passwordFile: this.passwordFile,
    });
    if (!context.output.json && !context.output.quiet) {
      context.stderr.write(`Private key of ${result.address} follows. Anyone who sees it controls the host's funds.\n`);
    }
    revealResult(context, result, result.privateKey);
  }
}
