import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { note, writeOut, writeResult } from "../../output.ts";
import { opsConfigFor } from "../../../ops/ops-config.ts";
import { readMetrics } from "../../../ops/metrics/read-metrics.ts";
import { parseExposition } from "../../../ops/metrics/parse-exposition.ts";

export class MetricsCommand extends HostCommand {
  static override paths = [["metrics"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Print the host metrics",
    details: `
      Prints the Prometheus metrics the running host serves on /metrics (metrics.listen, 127.0.0.1:9464 by default).
      When the host is not running, prints this process's own metrics (build and process figures) and says so.
      With --json, each metric family with its help, type and samples.
    `,
    examples: [
      ["Print metrics", "$0 metrics"],
      ["As JSON", "$0 metrics --json"],
    ],
  });

  async run(): Promise<number | void> {
    const context = this.context;
    const reading = await readMetrics({ config: await opsConfigFor(context), fetch: context.fetch, build: context.build });
    if (reading.reason) note(context, `Showing this process's metrics only: ${reading.reason}.`);
    if (context.output.json) {
      writeResult(context, { source: reading.source, url: reading.url, metrics: parseExposition(reading.text) }, () => "");
      return;
    }
    writeOut(context, reading.text.endsWith("\n") ? reading.text : `${reading.text}\n`);
  }
}
