import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ModelsListCommand extends HostCommand {
  static override paths = [["models","list"]];

  static override usage = Command.Usage({
    category: "Models",
    description: "List approved models and which this host serves",
    details: "Reads the ModelRegistry: id, repo:file, SHA-256, tier, and whether this host serves and prices it.",
    examples: [
      ["List models", "$0 models list"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("models list");
  }
}
