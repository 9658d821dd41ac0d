import { Command } from "clipanion";
import { ConfirmCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { removeWallet } from "../../../wallet/manage.ts";
import { walletDepsFrom } from "../../../wallet/deps.ts";
import { currentWallet, saveWallet } from "./shared.ts";

export class WalletRemoveCommand extends ConfirmCommand {
  static override paths = [["wallet", "remove"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Remove the host key from this machine",
    details:
      "Asks first (--yes skips the question), then removes the keychain entry and the keystore file, and clears the wallet from the configuration. Make a backup before: without one, the key and its funds are gone.",
    examples: [
      ["Remove the key", "$0 wallet remove"],
      ["Remove it in a script", "$0 wallet remove --yes"],
    ],
  });

  async run(): Promise<void> {
    const context = this.context;
    const result = await removeWallet(walletDepsFrom(context), await currentWallet(context), { yes: this.yes });
    await saveWallet(context, null);
    writeResult(context, result, () =>
      result.removed
        ? `Host key ${result.address} removed from this machine.`
        : `No stored key was found for ${result.address}; the configuration no longer names it.`,
    );
  }
}
