import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class StakeAddCommand extends HostCommand {
  static override paths = [["stake","add"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Add FAB to the stake",
    details: "Approves and stakes the given amount of FAB on top of the current stake.",
    examples: [
      ["Add 500 FAB", "$0 stake add 500"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("stake add");
  }
}
