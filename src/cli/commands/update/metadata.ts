import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class UpdateMetadataCommand extends HostCommand {
  static override paths = [["update","metadata"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Update the host metadata on chain",
    details: "Merges the given fields into the current metadata and always keeps publicKey, which clients need to encrypt sessions.",
    examples: [
      ["Set the location", "$0 update metadata --location eu-west"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("update metadata");
  }
}
