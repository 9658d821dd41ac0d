import { Command, Option } from "clipanion";
import { ConfirmCommand } from "../../key-commands.ts";
import { note, writeResult } from "../../output.ts";
import { setSetting } from "../../../config/service.ts";

export class ConfigSetCommand extends ConfirmCommand {
  static override paths = [["config", "set"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Change one configuration value",
    details:
      "Validates the value against the schema and writes the config file atomically (the previous file is backed up). Lists are comma-separated; objects are JSON. `null` clears an optional value.",
    examples: [
      ["Use a private RPC first, the public one as fallback", "$0 config set rpcUrls https://rpc.example.org,https://sepolia.base.org"],
      ["Set the public API URL", "$0 config set publicUrl https://host.example.org:8080"],
    ],
  });

  key = Option.String({ name: "key" });
  value = Option.String({ name: "value" });

  async run(): Promise<void> {
    const result = await setSetting(this.context, this.key, this.value, { yes: this.yes });
    if (result.shadowedBy) note(this.context, `note: ${result.shadowedBy} is set in the environment and overrides this value.`);
    writeResult(this.context, result, () => `${result.key} = ${JSON.stringify(result.value)}`);
  }
}
