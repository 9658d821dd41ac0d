import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ConfigPathCommand extends HostCommand {
  static override paths = [["config","path"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Print where state is kept",
    details: "Prints the config file path and the state, logs, keystore, node and models directories.",
    examples: [
      ["Print the paths", "$0 config path"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("config path");
  }
}
