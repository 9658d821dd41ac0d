/**
 * clipanion's Cli, with failures reported our way: errors to stderr (clipanion writes them to stdout), usage errors
 * exit 2 with code FH0001 and a "did you mean" for typos, and commands' own failures keep their exit code.
 */
import { Cli, type CommandClass } from "clipanion";
import type { HostContext } from "../context.ts";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { reportError } from "./output.ts";
import { nearestCommand } from "./suggest.ts";
import { HostCommand } from "./host-command.ts";
import { shouldColor } from "./style.ts";
import { pathsFor, resolveHome } from "../config/paths.ts";
import { createFileLogger } from "../ops/logging/logger.ts";
import { registerInputSecrets } from "../util/redact.ts";

export class FabstirCli extends Cli<HostContext> {
  private readonly paths: string[][] = [];

  override register(commandClass: CommandClass<HostContext>): void {
    super.register(commandClass);
    for (const path of commandClass.paths ?? []) if (!path[0]?.startsWith("-")) this.paths.push(path);
  }

  /** Every command path, for docs and suggestions. */
  commandPaths(): string[][] {
    return this.paths.map((path) => [...path]);
  }

  override async run(input: string[], context: HostContext): Promise<number> {
    // clipanion decides colours once per Cli; follow the terminal and NO_COLOR of this run instead.
    (this as { enableColors: boolean }).enableColors = shouldColor(context.env, context.isTTY.stdout);
    // A key or recovery phrase pasted in the wrong place must not come back in an error, a log line or a bundle.
    registerInputSecrets(input);
    let command;
    try {
      command = this.process(input, context);
    } catch (error) {
      return this.reportUsageError(input, context, error);
    }
    // --config-dir moves all state, logs included. Applied to the caller's context (clipanion runs the command on a
    // copy), so what the command wrote is where the caller looks.
    if (command instanceof HostCommand && command.configDir) {
      context.paths = pathsFor(resolveHome({ configDir: command.configDir, env: context.env, homeDir: context.homeDir }));
      if (context.logger.filePath)
        context.logger = createFileLogger({
          logsDir: context.paths.logsDir,
          component: "cli",
          level: context.env.FABSTIR_LOG_LEVEL === "debug" ? "debug" : "info",
        });
    }
    const exitCode = await super.run(command, context);
    return command instanceof HostCommand && command.failureExitCode !== undefined ? command.failureExitCode : exitCode;
  }

  private reportUsageError(input: string[], context: HostContext, error: unknown): number {
    const json = input.includes("--json");
    context.output = { ...context.output, json, color: !json && shouldColor(context.env, context.isTTY.stdout) };
    const raw = error instanceof Error ? error.message : String(error);
    const unknownCommand = /Command not found/.test(raw);
    const suggestion = unknownCommand ? nearestCommand(input, this.paths) : undefined;
    const firstLine = raw.split("\n")[0]?.replace(/^Command not found; did you mean.*$/, "Unknown command") ?? "Invalid command line";
    const typed = input.filter((word) => !word.startsWith("-")).join(" ");
    const message = unknownCommand ? `Unknown command \`${typed}\`.` : firstLine.replace(/\.$/, "") + ".";
    const hint = suggestion ? `Did you mean \`fabstir-host ${suggestion}\`? See fabstir-host --help.` : "Try: fabstir-host --help";
    return reportError(context, new HostError(CoreErrors.USAGE, message, { hint }));
  }
}
