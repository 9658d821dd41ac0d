#!/usr/bin/env bun
/**
 * Entry point of the `fabstir-host` binary: the context of real effects, then the command line, loading only the
 * command it names (cli/lazy-cli.ts; the whole tree is cli/full-cli.ts). The process exit code is set through
 * `process.exitCode`; work in flight is never cut short by `process.exit()`.
 */
import { homedir } from "node:os";
import { spawn } from "node:child_process";
import { runCommandLine } from "./cli/lazy-cli.ts";
import { defaultServices } from "./default-services.ts";
import { buildInfo, versionLine } from "./build-info.ts";
import type { HostContext } from "./context.ts";
import { pathsFor, resolveHome } from "./config/paths.ts";
import { systemClock } from "./util/clock.ts";
import { createFileLogger } from "./ops/logging/logger.ts";
import { createTerminalPrompter } from "./util/prompter.ts";
import { shouldColor } from "./cli/style.ts";

export function createContext(overrides: Partial<HostContext> = {}): HostContext {
  const env = overrides.env ?? (process.env as Record<string, string | undefined>);
  const home = overrides.homeDir ?? homedir();
  const paths = overrides.paths ?? pathsFor(resolveHome({ env, homeDir: home }));
  const isTTY = overrides.isTTY ?? { stdin: !!process.stdin.isTTY, stdout: !!process.stdout.isTTY, stderr: !!process.stderr.isTTY };
  return {
    env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    colorDepth: shouldColor(env, isTTY.stdout) ? 8 : 1,
    isTTY,
    cwd: process.cwd(),
    homeDir: home,
    paths,
    clock: systemClock,
    spawn,
    fetch: (input, init) => fetch(input, init),
    logger: createFileLogger({ logsDir: paths.logsDir, component: "cli", level: env.FABSTIR_LOG_LEVEL === "debug" ? "debug" : "info" }),
    prompter: createTerminalPrompter({ stdin: process.stdin, stdout: process.stderr }),
    output: { json: false, verbose: false, quiet: false, color: shouldColor(env, isTTY.stdout) },
    build: buildInfo,
    services: overrides.services ?? defaultServices({ spawn, env }),
    ...overrides,
  };
}

export async function main(argv: string[]): Promise<number> {
  // The binary doubles as its own keychain helper: keychain calls run in a short-lived child that can be killed when
  // a D-Bus call hangs (see src/wallet/keyring-child.ts).
  if (process.env.FABSTIR_KEYRING_CHILD === "1") return (await import("./wallet/keyring-child.ts")).runKeyringChild();
  // And as the count salvage the orphan watchdog runs when the host died under its node (src/proof/salvage-child.ts).
  if (process.env.FABSTIR_SALVAGE_CHILD === "1") return (await import("./proof/salvage-child.ts")).runSalvageChild(argv);
  // The version is the hottest path (scripts, installers, health checks): answer it before building anything.
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    process.stdout.write(versionLine() + "\n");
    return 0;
  }
  const context = createContext();
  // A daily, cached check for a newer release, started now and printed (on a terminal only) after the command.
  // Only a terminal shows the notice, so only a terminal pays for loading the check.
  const updateNotice = context.isTTY.stderr ? (await import("./self-update/update-check.ts")).maybeNotifyUpdate(context, { argv }) : { finish: async () => {} };
  try {
    return await runCommandLine(argv, context);
  } finally {
    await updateNotice.finish();
    await context.logger.close();
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
