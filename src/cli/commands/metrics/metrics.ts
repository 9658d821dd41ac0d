import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class MetricsCommand extends HostCommand {
  static override paths = [["metrics"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Print the host metrics",
    details: "Prints the same Prometheus metrics the running host serves on /metrics.",
    examples: [
      ["Print metrics", "$0 metrics"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("metrics");
  }
}
