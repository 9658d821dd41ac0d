#!/usr/bin/env bun
/** Writes the generated reference docs (docs/COMMANDS.md, CONFIGURATION.md, TROUBLESHOOTING.md). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCli } from "../src/main.ts";
import { renderCommandsDoc, renderConfigurationDoc, renderTroubleshootingDoc } from "../src/cli/reference-docs.ts";

const docs = join(import.meta.dir, "..", "docs");
const cli = buildCli();
writeFileSync(join(docs, "COMMANDS.md"), renderCommandsDoc(cli, cli.commandPaths()));
writeFileSync(join(docs, "CONFIGURATION.md"), renderConfigurationDoc());
writeFileSync(join(docs, "TROUBLESHOOTING.md"), renderTroubleshootingDoc());
console.error("wrote docs/COMMANDS.md, docs/CONFIGURATION.md, docs/TROUBLESHOOTING.md");
