import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ConfigValidateCommand extends HostCommand {
  static override paths = [["config","validate"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Check the configuration and print every problem",
    details: "Loads every layer and reports all problems at once. Exits 1 when anything is invalid.",
    examples: [
      ["Validate", "$0 config validate"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("config validate");
  }
}
