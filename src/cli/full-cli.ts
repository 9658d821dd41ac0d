/**
 * The whole command tree, every command class loaded: what the manual, the docs generator and the command manifest are
 * made from, and what a command line that names no known command falls back to (for "did you mean"). A user's command
 * line normally goes through lazy-cli.ts, which loads only the command it names.
 */
import { Builtins } from "clipanion";
import { commandGroups } from "./commands/index.ts";
import type { FabstirCli } from "./fabstir-cli.ts";
import { newCli } from "./new-cli.ts";

export function buildCli(): FabstirCli {
  const cli = newCli();
  for (const classes of Object.values(commandGroups)) for (const commandClass of classes) cli.register(commandClass);
  cli.register(Builtins.HelpCommand);
  return cli;
}
