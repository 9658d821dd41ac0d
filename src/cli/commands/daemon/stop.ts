import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class StopCommand extends HostCommand {
  static override paths = [["stop"]];

  static override usage = Command.Usage({
    category: "Running",
    description: "Stop the running host",
    details: "Finds the daemon by its PID file, drains it (in-flight proofs finish), and stops the node.",
    examples: [
      ["Stop", "$0 stop"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("stop");
  }
}
