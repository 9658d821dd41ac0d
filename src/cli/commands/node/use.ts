import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class NodeUseCommand extends HostCommand {
  static override paths = [["node","use"]];

  static override usage = Command.Usage({
    category: "Inference node",
    description: "Switch the node build in use",
    details: "Points the host at another installed version (takes effect on the next start).",
    examples: [
      ["Use a version", "$0 node use 1.4.2"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("node use");
  }
}
