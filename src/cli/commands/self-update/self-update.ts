import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class SelfUpdateCommand extends HostCommand {
  static override paths = [["self-update"]];

  static override usage = Command.Usage({
    category: "Setup",
    description: "Update fabstir-host",
    details: "Updates through the channel it was installed by (install script, Homebrew, winget), verifying checksums; --rollback restores the previous binary.",
    examples: [
      ["Update", "$0 self-update"],
      ["Go back", "$0 self-update --rollback"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("self-update");
  }
}
