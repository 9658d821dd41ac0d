/**
 * Examples in the docs are run: every `fabstir-host …` line in the commands' usage examples (the source of
 * docs/COMMANDS.md), the README and the guides must be a command line the real command tree accepts; the read-only
 * ones are executed in-process against a fresh config directory.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCli } from "../../../src/cli/full-cli.ts";
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

/**
 * Every Markdown file the repository holds (README, docs/, installers' and scripts' READMEs). The changelog is history:
 * it names commands as they were when each release shipped.
 */
function markdownFiles(): string[] {
  const listed = Bun.spawnSync(["git", "ls-files", "*.md", "**/*.md"], { cwd: root }).stdout.toString().split("\n").filter(Boolean);
  const files = listed.length > 0 ? listed : ["README.md"];
  return [...new Set(files)].filter((file) => file !== "CHANGELOG.md" && !file.startsWith("node_modules/"));
}

function docExamples(): { where: string; argv: string[] }[] {
  const examples: { where: string; argv: string[] }[] = [];
  for (const definition of buildCli().definitions()) {
    for (const [, command] of definition.examples ?? []) examples.push({ where: `usage of ${definition.path}`, argv: commandArgs(command) });
  }
  for (const doc of markdownFiles()) {
    const text = readFileSync(join(root, doc), "utf8");
    // Shell blocks: every line that runs the binary. Plain blocks hold program output and file contents.
    for (const block of text.matchAll(/```(?:sh|bash|console|shell)\n([\s\S]*?)```/g)) {
      for (const line of block[1]!.split("\n")) {
        const trimmed = line
          .replace(/^\$\s*/, "")
          .replace(/^sudo\s+(-\S+\s+)*/, "")
          .trim();
        if (trimmed.startsWith("fabstir-host ")) examples.push({ where: doc, argv: commandArgs(trimmed) });
      }
    }
    // Inline code in prose ("run `fabstir-host status`"): a reader copies these too.
    const prose = text.replace(/```[\s\S]*?```/g, "");
    for (const span of prose.matchAll(/`(?:sudo\s+)?fabstir-host ([^`]+)`/g)) {
      const line = `fabstir-host ${span[1]!}`;
      // A span that shows a shape rather than a line ("fabstir-host <command>", "…") is not something to run.
      if (/[<>…]|\.\.\.|\[|\|/.test(span[1]!)) continue;
      examples.push({ where: doc, argv: commandArgs(line) });
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
    // A span naming a command ("### `fabstir-host config get`") is a name, not a line to run.
    const commandPaths = new Set(cli.definitions().map((definition) => definition.path.replace(/^fabstir-host\s*/, "")));
    const rejected: string[] = [];
    for (const { where, argv } of examples) {
      if (commandPaths.has(argv.join(" "))) continue;
      try {
        cli.process(argv, makeTestContext());
      } catch (error) {
        rejected.push(`${where}: fabstir-host ${argv.join(" ")} → ${(error as Error).message.split("\n")[0]}`);
      }
    }
    expect(rejected).toEqual([]);
  });

  test("read-only examples run and succeed", async () => {
    const readOnly = examples.filter(
      ({ argv }) =>
        ["version", "config path", "config list", "config validate"].includes(argv.filter((w) => !w.startsWith("-")).join(" ")) || argv[0] === "--version",
    );
    expect(readOnly.length).toBeGreaterThan(0);
    for (const { where, argv } of readOnly) {
      const result = await runCli(argv);
      expect({ where, argv, code: result.code }).toEqual({ where, argv, code: 0 });
    }
  });
});

describe("commands named in error hints and fixes", () => {
  test("every `fabstir-host <command>` an error suggests is a command (or group) of the tree", async () => {
    const { allErrorCodes } = await import("../../../src/errors/codes/index.ts");
    const paths = new Set(
      buildCli()
        .definitions()
        .map((definition) => definition.path.replace(/^fabstir-host\s*/, "")),
    );
    const unknown: string[] = [];
    for (const code of allErrorCodes) {
      for (const text of [code.hint, code.fix, code.cause]) {
        for (const match of (text ?? "").matchAll(/(?:Try: |`)fabstir-host((?: [a-z][a-z-]*)+)/g)) {
          // The longest run of words that is a command path; prose after it ("to see …", "again") is not checked.
          const candidate = match[1]!.trim().split(" ");
          const known = (words: string) => paths.has(words) || [...paths].some((path) => path.startsWith(`${words} `));
          const found = candidate.some((_, i) => known(candidate.slice(0, candidate.length - i).join(" ")));
          if (!found) unknown.push(`${code.code}: fabstir-host${match[1]}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });
});
