import { Command, Option } from "clipanion";
import { ConfirmCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { resetConfig } from "../../../config/service.ts";
import { confirmOrCancel } from "../../confirm.ts";

export class ConfigResetCommand extends ConfirmCommand {
  static override paths = [["config", "reset"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Reset the configuration to defaults",
    details: "Backs up the current file, then writes defaults. The wallet reference is kept unless --all is given; keys themselves are never touched.",
    examples: [
      ["Reset settings but keep the wallet", "$0 config reset --yes"],
      ["Forget the wallet reference too", "$0 config reset --all --yes"],
    ],
  });

  all = Option.Boolean("--all", false, { description: "Also forget the wallet reference (the key stays in its store)" });

  async run(): Promise<void> {
    await confirmOrCancel(this.context, "Reset the configuration to defaults? A backup is kept.", this.yes);
    const result = await resetConfig(this.context, { keepWallet: !this.all });
    writeResult(this.context, result, () => `Configuration reset to defaults.${result.backup ? ` Previous file saved as ${result.backup}` : ""}`);
  }
}
