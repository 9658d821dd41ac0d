import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { getSetting } from "../../../config/service.ts";

export class ConfigGetCommand extends HostCommand {
  static override paths = [["config", "get"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Print one configuration value",
    details:
      "Prints the effective value of a key (after defaults, the file, FABSTIR_* environment variables and flags are layered). Lists and objects print as JSON.",
    examples: [
      ["Print the network", "$0 config get network"],
      ["Print the RPC URLs as JSON", "$0 config get rpcUrls --json"],
    ],
  });

  key = Option.String({ name: "key" });

  async run(): Promise<void> {
    const entry = await getSetting(this.context, this.key);
    writeResult(this.context, entry, () => (typeof entry.value === "string" ? entry.value : JSON.stringify(entry.value)));
  }
}
