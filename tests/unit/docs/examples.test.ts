/**
 * Examples in the docs are run: every `fabstir-host …` line in the commands' usage examples (the source of
 * docs/COMMANDS.md), the README and the guides must be a command line the real command tree accepts; the read-only
 * ones are executed in-process against a fresh config directory.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCli } from "../../../src/main.ts";
import { makeTestContext, runCli } from "../../helpers/context.ts";

const root = join(import.meta.dir, "../../..");

/** Splits a shell-like line into words (quotes respected; comments and redirections dropped). */
function words(line: string): string[] {
  const out: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of line.replace(/\s+#.*$/, "").matchAll(pattern)) {
    const word = match[1] ?? match[2] ?? match[3]!;
    if (word === ">" || word === "|" || word === "&&") break;
    out.push(word);
  }
  return out;
}

/** The arguments after `fabstir-host` (and after `sudo`), with placeholders filled with plausible values. */
function commandArgs(line: string): string[] {
  const all = words(line.replace(/\$0/g, "fabstir-host"));
  const start = all.indexOf("fabstir-host");
  return all.slice(start + 1).map((word) =>
    word
      .replace(/<hex>/g, "ab".repeat(32))
      .replace(/<repo:file>/g, "org/repo:model.gguf")
      .replace(/^0x\.\.\.$/, "0x" + "1".repeat(40)),
  );
}

function docExamples(): { where: string; argv: string[] }[] {
  const examples: { where: string; argv: string[] }[] = [];
  for (const definition of buildCli().definitions()) {
    for (const [, command] of definition.examples ?? []) examples.push({ where: `usage of ${definition.path}`, argv: commandArgs(command) });
  }
  for (const doc of ["README.md", "docs/INSTALLATION.md", "docs/OPERATIONS.md", "docs/SECURITY.md", "docs/UPGRADING.md"]) {
    const text = readFileSync(join(root, doc), "utf8");
    // Shell blocks only: plain blocks hold program output and file contents.
    for (const block of text.matchAll(/```(?:sh|bash|console|shell)\n([\s\S]*?)```/g)) {
      for (const line of block[1]!.split("\n")) {
        const trimmed = line.replace(/^\$\s*/, "").replace(/^sudo\s+(-\S+\s+)*/, "").trim();
        if (trimmed.startsWith("fabstir-host ")) examples.push({ where: doc, argv: commandArgs(trimmed) });
      }
    }
  }
  return examples;
}

describe("examples in the docs", () => {
  const examples = docExamples();

  test("there are examples to check", () => {
    expect(examples.length).toBeGreaterThan(60);
  });

  test("every example is a command line the command tree accepts", () => {
    const cli = buildCli();
    const rejected: string[] = [];
    for (const { where, argv } of examples) {
      try {
        cli.process(argv, makeTestContext());
      } catch (error) {
        rejected.push(`${where}: fabstir-host ${argv.join(" ")} → ${(error as Error).message.split("\n")[0]}`);
      }
    }
    expect(rejected).toEqual([]);
  });

  test("read-only examples run and succeed", async () => {
    const readOnly = examples.filter(({ argv }) => ["version", "config path", "config list", "config validate"].includes(argv.filter((w) => !w.startsWith("-")).join(" ")) || argv[0] === "--version");
    expect(readOnly.length).toBeGreaterThan(0);
    for (const { where, argv } of readOnly) {
      const result = await runCli(argv);
      expect({ where, argv, code: result.code }).toEqual({ where, argv, code: 0 });
    }
  });
});
