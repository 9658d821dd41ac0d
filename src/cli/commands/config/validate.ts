import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { validateConfig } from "../../../config/service.ts";

export class ConfigValidateCommand extends HostCommand {
  static override paths = [["config", "validate"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Check the configuration and print every problem",
    details:
      "Loads every layer (file, environment, defaults) and reports all problems at once, each naming the key, where the value came from, and the allowed form. Exits 1 when anything is invalid.",
    examples: [
      ["Validate", "$0 config validate"],
      ["For scripts", "$0 config validate --json"],
    ],
  });

  async run(): Promise<number> {
    const report = await validateConfig(this.context);
    writeResult(this.context, report, () => {
      const lines = report.problems.map((p) => `✗ ${p.message}`);
      lines.push(...report.warnings.map((w) => `! ${w}`));
      lines.push(report.valid ? `Configuration is valid (${report.file}).` : `${report.problems.length} problem(s) in the configuration.`);
      return lines.join("\n");
    });
    return report.valid ? 0 : 1;
  }
}
