import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class NodeRemoveCommand extends HostCommand {
  static override paths = [["node","remove"]];

  static override usage = Command.Usage({
    category: "Inference node",
    description: "Remove an installed node build",
    details: "Removes a version that is not in use.",
    examples: [
      ["Remove a version", "$0 node remove 1.3.0"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("node remove");
  }
}
