import { Command, Option } from "clipanion";
import { resolve } from "node:path";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderFields } from "../../table.ts";
import { exportLogs } from "../../../ops/logging/export-logs.ts";
import { doctorReportThrough } from "../../doctor-report.ts";

export class LogsExportCommand extends HostCommand {
  static override paths = [["logs", "export"]];
  /** The commands this one runs through `this.cli.run`: the lazy command tree loads them with it. */
  static readonly runsCommands = [["doctor"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Export redacted logs for a bug report",
    details: `
      Writes a tar.gz holding every log file (rotated ones included, each line redacted again), config.json
      (redacted), the \`doctor --json\` report and a manifest with this build's version. Nothing secret goes in: keys
      and passwords never reach the logs, and the redactor masks anything that looks like one.
      Without a file name the archive is written to the current directory.
    `,
    examples: [
      ["Export logs", "$0 logs export ./fabstir-logs.tar.gz"],
      ["Into the current directory", "$0 logs export"],
    ],
  });

  file = Option.String({ required: false, name: "file" });

  async run(): Promise<number | void> {
    const context = this.context;
    const now = context.clock.now();
    const stamp = new Date(now)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    const outFile = resolve(context.cwd, this.file ?? `fabstir-host-report-${stamp}.tar.gz`);
    const doctor = doctorReportThrough((argv, partial) => this.cli.run(argv, partial));
    const result = await exportLogs({ paths: context.paths, outFile, now, build: context.build, doctor });
    writeResult(
      context,
      result,
      () =>
        renderFields([
          ["Archive", result.file],
          ["Size", `${result.bytes} bytes`],
          ["Log files", String(result.logFiles.length)],
          ["Config", result.config ? "included (redacted)" : "none found"],
          [
            "Doctor",
            result.doctor === "included" ? "included" : result.doctor === "unavailable" ? "not available in this build" : "failed (see doctor-failed.txt)",
          ],
        ]) + "Attach this file to your report; secrets are redacted.",
    );
  }
}
