/**
 * Runs a command line loading only what it needs. The command tree is declared by a generated manifest (paths and a
 * loader per command, plus the general help text); the class of the command the line names, and through it the
 * libraries that command uses, are imported only then. `--help` is answered from the manifest alone. A line that
 * names no known command loads the whole tree, so the error and its "did you mean" are the same as ever.
 */
import { Builtins, type CommandClass } from "clipanion";
import { buildInfo } from "../build-info.ts";
import type { HostContext } from "../context.ts";
import { COMMANDS, GENERAL_HELP, VERSION_PLACEHOLDER, type CommandEntry } from "./commands/manifest.ts";
import type { FabstirCli } from "./fabstir-cli.ts";
import { newCli } from "./new-cli.ts";
import { shouldColor } from "./style.ts";

/** The leading words of a command line, before its first option: where the command's path is. */
function leadingWords(argv: string[]): string[] {
  const end = argv.findIndex((word) => word.startsWith("-"));
  return end === -1 ? argv : argv.slice(0, end);
}

/** The manifest's commands this line names: those whose path its leading words start with. */
function namedCommands(argv: string[]): CommandEntry[] {
  const words = leadingWords(argv);
  return COMMANDS.filter((entry) => entry.path.length > 0 && entry.path.every((part, i) => words[i] === part));
}

/** The tree for this command line: the commands whose path it starts with, or every command when none matches. */
export async function cliFor(argv: string[]): Promise<FabstirCli> {
  const named = namedCommands(argv);
  if (named.length === 0) return (await import("./full-cli.ts")).buildCli();
  const runs = named.flatMap((entry) => entry.runs ?? []);
  const matching = [...new Set([...named, ...COMMANDS.filter((entry) => runs.some((path) => path.join(" ") === entry.path.join(" ")))])];
  const cli = newCli();
  for (const commandClass of await Promise.all(matching.map((entry) => entry.load()))) cli.register(commandClass as CommandClass<HostContext>);
  cli.register(Builtins.HelpCommand);
  return cli;
}

/**
 * A command whose first chain request is the network check gets it posted now, before the command loads (not for a
 * help request, nor with --offline).
 */
function checksNetworkFirst(argv: string[]): boolean {
  // Not for a help request, nor for a command told to stay off the network.
  if (argv.some((word) => word === "-h" || word === "--help" || word === "--offline")) return false;
  return namedCommands(argv).some((entry) => entry.checksNetwork === true);
}

/** The value of --config-dir on the line, read as clipanion will (`--config-dir DIR` or `--config-dir=DIR`). */
function configDirOf(argv: string[]): string | undefined {
  const at = argv.findIndex((word) => word === "--config-dir" || word.startsWith("--config-dir="));
  if (at === -1) return undefined;
  return argv[at]!.includes("=") ? argv[at]!.slice("--config-dir=".length) : argv[at + 1];
}

export async function runCommandLine(argv: string[], context: HostContext): Promise<number> {
  if (argv.length === 0 || (argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h"))) {
    const text = shouldColor(context.env, context.isTTY.stdout) ? GENERAL_HELP.colored : GENERAL_HELP.plain;
    context.stdout.write(text.replace(VERSION_PLACEHOLDER, buildInfo.version));
    return 0;
  }
  if (!checksNetworkFirst(argv)) return (await cliFor(argv)).run(argv, context);
  await (await import("../chain/early-check.ts")).prefetchNetworkCheck(context, configDirOf(argv));
  try {
    return await (await cliFor(argv)).run(argv, context);
  } finally {
    (await import("../chain/rpc/prefetch.ts")).dropPrefetches();
  }
}
