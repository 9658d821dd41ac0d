#!/usr/bin/env bun
/**
 * Writes what is generated from the source: the reference docs (docs/COMMANDS.md, CONFIGURATION.md,
 * TROUBLESHOOTING.md) and the command manifest the binary starts from (src/cli/commands/manifest.ts).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildInfo } from "../src/build-info.ts";
import { buildCli } from "../src/cli/full-cli.ts";
import { renderCommandManifest } from "../src/cli/command-manifest.ts";
import { renderCommandsDoc, renderConfigurationDoc, renderTroubleshootingDoc } from "../src/cli/reference-docs.ts";

const root = join(import.meta.dir, "..");
const docs = join(root, "docs");
const cli = buildCli();
writeFileSync(join(docs, "COMMANDS.md"), renderCommandsDoc(cli, cli.commandPaths()));
writeFileSync(join(docs, "CONFIGURATION.md"), renderConfigurationDoc());
writeFileSync(join(docs, "TROUBLESHOOTING.md"), renderTroubleshootingDoc());
const commandsDir = join(root, "src", "cli", "commands");
writeFileSync(join(commandsDir, "manifest.ts"), await renderCommandManifest(cli, commandsDir, buildInfo.version));
console.error("wrote docs/COMMANDS.md, docs/CONFIGURATION.md, docs/TROUBLESHOOTING.md, src/cli/commands/manifest.ts");
