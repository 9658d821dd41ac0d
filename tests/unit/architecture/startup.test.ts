/**
 * What a command line loads before it runs, read from the import graph rather than timed: the entry and the command
 * tree import no heavy library (each costs 30–100 ms to load), and a command that needs no network loads none either.
 * Dynamic `import()` is lazy and not followed; the benchmark in scripts/bench/startup.ts measures the result.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "../../../src/cli/commands/manifest.ts";
import { staticClosure } from "./import-graph.ts";

const src = join(import.meta.dir, "../../../src");
const HEAVY = ["ethers", "winston", "prom-client", "@inquirer/prompts", "tar", "yaml", "cli-progress", "semver", "@napi-rs/keyring", "ws", "ajv"];
const STATIC_PACKAGE = /(?:^|\n)\s*(?:import|export)\s(?!type\s)([^;]*?)from\s+["']([^."'][^"']*)["']/g;

/** Heavy packages a file imports at load time (an import of types only is erased and costs nothing). */
function heavyImports(file: string): string[] {
  const text = readFileSync(join(src, file), "utf8");
  return [...text.matchAll(STATIC_PACKAGE)]
    .filter((match) => !/^\s*\{\s*(?:type\s+\w+\s*,?\s*)+\}\s*$/.test(match[1]!))
    .map((match) => match[2]!)
    .filter((name) => HEAVY.some((heavy) => name === heavy || name.startsWith(`${heavy}/`)));
}

function heavyIn(entry: string): string[] {
  return [...staticClosure(src, entry)].flatMap((file) => heavyImports(file).map((name) => `${file} imports ${name}`));
}

describe("start-up cost, from the import graph", () => {
  test("the entry and the command tree import no heavy library", () => {
    expect(heavyIn("main.ts")).toEqual([]);
  });

  test("the command manifest names every command by a lazy loader only", () => {
    const text = readFileSync(join(src, "cli/commands/manifest.ts"), "utf8");
    expect(text).not.toMatch(/^import\s/m);
    expect(COMMANDS.length).toBeGreaterThan(40);
  });

  // The commands a host runs most without the network: each must start as fast as the binary can.
  const offline = [
    "config get",
    "config list",
    "config set",
    "config path",
    "config validate",
    "wallet address",
    "logs",
    "service status",
    "version",
    "pricing show",
  ];
  for (const path of offline) {
    test(`\`${path}\` loads no heavy library`, () => {
      const source = readFileSync(join(src, "cli/commands/manifest.ts"), "utf8");
      const module = new RegExp(`path: ${JSON.stringify(path.split(" ")).replace(/[[\]]/g, "\\$&")},[^\\n]*import\\("([^"]+)"\\)`).exec(source)?.[1];
      expect(module).toBeDefined();
      expect(heavyIn(join("cli/commands", module!))).toEqual([]);
    });
  }
});

describe("start-up cost of the ABIs", () => {
  // ethers parses every entry of an ABI when an Interface is built (5–9 ms for status's five on a cold start): an
  // Interface is built on first use only, in one place (chain/abi/interfaces.ts).
  test("no module builds an ethers Interface but the ABI module", () => {
    const glob = new Bun.Glob("**/*.ts");
    const builders = [...glob.scanSync(src)].filter((file) => /new Interface\(/.test(readFileSync(join(src, file), "utf8")));
    expect(builders.sort()).toEqual(["chain/abi/compat.ts", "chain/abi/index.ts", "chain/abi/interfaces.ts"]);
  });
});
