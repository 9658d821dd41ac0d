import { Command, Option } from "clipanion";
import * as t from "typanion";
import { HostCommand } from "../../host-command.ts";
import { writeOut, writeResult } from "../../output.ts";
import { styleFor } from "../../style.ts";
import { parseTimeArg, type LogFilter } from "../../../ops/logging/filters.ts";
import { tailLogs } from "../../../ops/logging/read-logs.ts";
import { followLogs } from "../../../ops/logging/follow-logs.ts";
import { renderEntry } from "../../render/log-entry.ts";
import type { LogEntry } from "../../../ops/logging/log-entry.ts";
import { redactValue } from "../../../util/redact.ts";

export class LogsCommand extends HostCommand {
  static override paths = [["logs"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Show, follow and filter the host's logs",
    details: `
      Prints the last lines of the structured logs of every component (cli, supervisor, node, proofs, chain, front),
      merged in time order, including rotated and compressed files. Filters combine: \`--level warn\` shows warnings
      and errors; \`--since\`/\`--until\` take an ISO time or a relative one (30s, 15m, 2h, 1d, 1w).

      \`-f\` keeps printing new lines until Ctrl-C. With \`--json\` the result is one envelope holding an array of
      entries; with \`-f --json\`, one JSON entry per line. \`logs export\` writes a redacted archive for bug reports.
    `,
    examples: [
      ["Last 100 lines", "$0 logs -n 100"],
      ["Follow proof logs", "$0 logs -f --component proofs"],
      ["Warnings and errors of the last 2 hours", "$0 logs --level warn --since 2h"],
      ["Everything about one session", "$0 logs --session 0x5e55… -n 1000"],
    ],
  });

  lines = Option.String("-n,--lines", "100", { description: "How many lines to show (the newest)", validator: t.isNumber() });
  follow = Option.Boolean("-f,--follow", false, { description: "Keep printing new lines until Ctrl-C" });
  level = Option.String("--level", {
    description: "Show this level and more severe (error, warn, info, debug)",
    validator: t.isEnum(["error", "warn", "info", "debug"] as const),
  });
  component = Option.Array("--component", { description: "Only these components (repeat or comma-separate)" });
  session = Option.String("--session", { description: "Only lines about this session id" });
  job = Option.String("--job", { description: "Only lines about this job id" });
  since = Option.String("--since", { description: "From this time (ISO, or 15m / 2h / 1d ago)" });
  until = Option.String("--until", { description: "Up to this time (ISO, or 15m / 2h / 1d ago)" });

  async run(): Promise<number | void> {
    const context = this.context;
    const now = context.clock.now();
    const filter: LogFilter = {
      minLevel: this.level,
      components: this.component
        ?.flatMap((value) => value.split(","))
        .map((value) => value.trim())
        .filter(Boolean),
      sessionId: this.session,
      jobId: this.job,
      since: this.since !== undefined ? parseTimeArg(this.since, now, "--since") : undefined,
      until: this.until !== undefined ? parseTimeArg(this.until, now, "--until") : undefined,
    };
    const entries = tailLogs(context.paths.logsDir, filter, Math.max(0, Math.floor(this.lines)));
    const style = styleFor(context.output);
    const print = (batch: LogEntry[]) => {
      if (context.output.json) for (const entry of batch) context.stdout.write(JSON.stringify(redactValue(entry)) + "\n");
      else if (batch.length > 0) writeOut(context, batch.map((entry) => renderEntry(entry, style)).join("\n") + "\n");
    };

    if (!this.follow) {
      writeResult(context, { logsDir: context.paths.logsDir, count: entries.length, entries }, () =>
        entries.length === 0
          ? `No log lines${hasFilter(filter) ? " match these filters" : " yet"} (${context.paths.logsDir}).`
          : entries.map((entry) => renderEntry(entry, style)).join("\n"),
      );
      return 0;
    }

    print(entries);
    const given = context.services.interrupt;
    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    if (given) given.addEventListener("abort", onInterrupt, { once: true });
    else process.once("SIGINT", onInterrupt);
    try {
      await followLogs({ logsDir: context.paths.logsDir, filter, signal: controller.signal, onEntries: print, pollMs: context.services.logsPollMs });
    } finally {
      process.removeListener("SIGINT", onInterrupt);
    }
    return 0;
  }
}

function hasFilter(filter: LogFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined && !(Array.isArray(value) && value.length === 0));
}
