import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class StartCommand extends HostCommand {
  static override paths = [["start"]];

  static override usage = Command.Usage({
    category: "Running",
    description: "Start the host (node, session front, proofs)",
    details: "Starts the inference node under supervision and the public session front, and submits proofs. In the foreground by default; --daemon detaches and logs to files.",
    examples: [
      ["Run in the foreground", "$0 start"],
      ["Run in the background", "$0 start --daemon"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("start");
  }
}
