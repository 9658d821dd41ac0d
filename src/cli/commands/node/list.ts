import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class NodeListCommand extends HostCommand {
  static override paths = [["node","list"]];

  static override usage = Command.Usage({
    category: "Inference node",
    description: "List installed node builds",
    details: "Shows installed versions and variants, and which one is in use.",
    examples: [
      ["List builds", "$0 node list"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("node list");
  }
}
