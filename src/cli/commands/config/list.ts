import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ConfigListCommand extends HostCommand {
  static override paths = [["config","list"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "List every configuration value and where it comes from",
    details: "Shows each key with its effective value and its source: default, file, env (FABSTIR_*) or flag.",
    examples: [
      ["List everything", "$0 config list"],
      ["As JSON", "$0 config list --json"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("config list");
  }
}
