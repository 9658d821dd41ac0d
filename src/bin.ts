#!/usr/bin/env bun
/**
 * The compiled binary's entry. `--version` is the hottest path (installers, scripts, health checks): it is answered
 * here, before the command tree and its services (ethers, winston …) are loaded. Everything else goes to main.ts,
 * imported only now so that its module graph is evaluated only when a command needs it.
 */
import { versionLine } from "./build-info.ts";

const argv = process.argv.slice(2);
if (
  argv.length === 1 &&
  (argv[0] === "--version" || argv[0] === "-V") &&
  process.env.FABSTIR_KEYRING_CHILD !== "1" &&
  process.env.FABSTIR_SALVAGE_CHILD !== "1"
) {
  process.stdout.write(versionLine() + "\n");
} else {
  // No top-level await: the compiled binary is built with --bytecode, which needs a script-shaped entry.
  void import("./main.ts").then(async ({ main }) => {
    process.exitCode = await main(argv);
  });
}
