/**
 * The shape of src/: no import circles, the domain never imports the command layer, and the options every signing
 * command shares are declared in one place.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importCircles, readImportGraph } from "./import-graph.ts";

const src = join(import.meta.dir, "../../../src");
const graph = readImportGraph(src);
const isCommandLayer = (file: string) => file.startsWith("cli/") || file === "main.ts" || file === "bin.ts";

describe("layers", () => {
  test("no import circles in src/", () => {
    expect(importCircles(graph).map((circle) => circle.join(" <-> "))).toEqual([]);
  });

  test("no domain file imports the command layer (cli/, main.ts)", () => {
    const upward = [...graph.edges].flatMap(([file, targets]) =>
      isCommandLayer(file) ? [] : targets.filter(isCommandLayer).map((target) => `${file} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });

  test("only the command layer imports clipanion", () => {
    const outside = [...graph.packages].filter(([file, packages]) => !isCommandLayer(file) && packages.includes("clipanion")).map(([file]) => file);
    expect(outside).toEqual([]);
  });
});

describe("shared options", () => {
  test("--password-file and --yes are declared once, in cli/options.ts", () => {
    const declaring = [...graph.edges.keys()].filter((file) =>
      /Option\.(String|Boolean)\(\s*"--(password-file|yes)\b/.test(readFileSync(join(src, file), "utf8")),
    );
    expect(declaring).toEqual(["cli/options.ts"]);
  });
});
