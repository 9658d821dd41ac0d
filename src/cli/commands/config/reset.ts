import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ConfigResetCommand extends HostCommand {
  static override paths = [["config","reset"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Reset the configuration to defaults",
    details: "Backs up the current file, then writes defaults. The wallet reference is kept unless --all is given; keys are never touched.",
    examples: [
      ["Reset settings but keep the wallet", "$0 config reset --yes"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("config reset");
  }
}
