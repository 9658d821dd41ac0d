import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderTable } from "../../table.ts";
import { listSettings } from "../../../config/service.ts";

export class ConfigListCommand extends HostCommand {
  static override paths = [["config", "list"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "List every configuration value and where it comes from",
    details: "Shows each key with its effective value and its source: default, file, env (the FABSTIR_* variable) or flag.",
    examples: [
      ["List everything", "$0 config list"],
      ["As JSON", "$0 config list --json"],
    ],
  });

  async run(): Promise<void> {
    const entries = await listSettings(this.context);
    writeResult(this.context, entries, () =>
      renderTable(
        ["KEY", "VALUE", "SOURCE"],
        entries.map((e) => [e.key, typeof e.value === "string" ? e.value : JSON.stringify(e.value), e.source === "env" ? `env ${e.env}` : e.source]),
      ),
    );
  }
}
