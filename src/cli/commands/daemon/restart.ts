import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class RestartCommand extends HostCommand {
  static override paths = [["restart"]];

  static override usage = Command.Usage({
    category: "Running",
    description: "Restart the running host",
    details: "Stops the daemon and starts it again with the current configuration.",
    examples: [
      ["Restart", "$0 restart"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("restart");
  }
}
