/** The reference docs are generated from the source; these tests fail when they drift or a code is undocumented. */
import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildCli } from "../../../src/cli/full-cli.ts";
import { renderCommandsDoc, renderConfigurationDoc, renderTroubleshootingDoc } from "../../../src/cli/reference-docs.ts";
import { allErrorCodes } from "../../../src/errors/codes/index.ts";

const root = join(import.meta.dir, "../../..");
const doc = (name: string) => readFileSync(join(root, "docs", name), "utf8");
const hint = "run `bun scripts/docs.ts` and commit the result";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("generated reference docs", () => {
  test(`docs/COMMANDS.md matches the commands' usage text (${hint})`, () => {
    const cli = buildCli();
    expect(doc("COMMANDS.md")).toBe(renderCommandsDoc(cli, cli.commandPaths()));
  });

  test(`docs/CONFIGURATION.md matches the config schema (${hint})`, () => {
    expect(doc("CONFIGURATION.md")).toBe(renderConfigurationDoc());
  });

  test(`docs/TROUBLESHOOTING.md matches the error codes (${hint})`, () => {
    expect(doc("TROUBLESHOOTING.md")).toBe(renderTroubleshootingDoc());
  });

  test("error codes are unique, and every FHxxxx in the source is declared and documented", () => {
    const declared = allErrorCodes.map((c) => c.code);
    expect(new Set(declared).size).toBe(declared.length);
    const troubleshooting = doc("TROUBLESHOOTING.md");
    for (const file of sourceFiles(join(root, "src"))) {
      for (const [code] of readFileSync(file, "utf8").matchAll(/(?<![–-])\bFH\d{4}\b(?![–-])/g)) {
        expect({ file, code, declared: declared.includes(code) }).toEqual({ file, code, declared: true });
        expect(troubleshooting).toContain(`## ${code}:`);
      }
    }
  });
});
