import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderFields } from "../../table.ts";

export class ConfigPathCommand extends HostCommand {
  static override paths = [["config", "path"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Print where state is kept",
    details: "Prints the config file path and the state, logs, keystore, node and models directories. Move everything with --config-dir or FABSTIR_HOME.",
    examples: [
      ["Print the config file path", "$0 config path"],
      ["Every directory, as JSON", "$0 config path --json"],
    ],
  });

  async run(): Promise<void> {
    const paths = this.context.paths;
    writeResult(this.context, paths, () => (this.verbose ? renderFields(Object.entries(paths) as [string, string][]) : paths.configFile));
  }
}
