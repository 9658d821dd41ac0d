/**
 * Each file of src/errors/codes declares, in its first line of documentation, the range its codes live in; every
 * code it declares lies in that range, and no two files claim overlapping ranges.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = join(import.meta.dir, "../../../src/errors/codes");
const files = readdirSync(dir).filter((name) => !["define.ts", "index.ts"].includes(name));

function declaredRange(text: string): [number, number] | null {
  const match = /FH(\d{4})–FH(\d{4})/.exec(text.slice(0, text.indexOf("*/")));
  return match ? [Number(match[1]), Number(match[2])] : null;
}

describe("error code ranges", () => {
  test("every codes file names its range, and its codes lie in it", () => {
    const outside: string[] = [];
    for (const name of files) {
      const text = readFileSync(join(dir, name), "utf8");
      const range = declaredRange(text);
      expect(range, `${name} declares no range`).not.toBeNull();
      for (const match of text.matchAll(/code: "FH(\d{4})"/g)) {
        const code = Number(match[1]);
        // supervisor.ts holds two sub-ranges, both inside its declared FH0450–FH0499.
        if (code < range![0] || code > range![1]) outside.push(`${name}: FH${match[1]} outside FH${range![0]}–FH${range![1]}`);
      }
    }
    expect(outside).toEqual([]);
  });

  test("no two files claim overlapping ranges", () => {
    const ranges = files.map((name) => ({ name, range: declaredRange(readFileSync(join(dir, name), "utf8"))! })).sort((a, b) => a.range[0] - b.range[0]);
    for (let i = 1; i < ranges.length; i++)
      expect(ranges[i]!.range[0], `${ranges[i - 1]!.name} and ${ranges[i]!.name}`).toBeGreaterThan(ranges[i - 1]!.range[1]);
  });
});

describe("tests name error codes", () => {
  test("no test writes a bare code literal: they use the code's name (e.g. CoreErrors.USAGE.code)", () => {
    const testsDir = join(import.meta.dir, "../..");
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
      );
    })(testsDir);
    const literal = /["']FH\d{4}["']/;
    expect(files.filter((file) => literal.test(readFileSync(file, "utf8"))).map((file) => file.slice(testsDir.length + 1))).toEqual([]);
  });
});
