/**
 * ARCHITECTURE.md is the map of src/: every folder of src/ has its row, and every `src/…` path it names exists.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dir, "../../..");
const text = readFileSync(join(root, "ARCHITECTURE.md"), "utf8");

function folders(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? [path, ...folders(path)] : [];
  });
}

describe("ARCHITECTURE.md matches the tree", () => {
  test("every folder of src/ is on the map (a command group's folder counts under src/cli/commands)", () => {
    const missing = folders(join(root, "src"))
      .map((path) => relative(root, path))
      .filter((folder) => !folder.startsWith("src/cli/commands/"))
      .filter((folder) => !text.includes(`\`${folder}\``));
    expect(missing).toEqual([]);
  });

  test("every src/ path it names exists", () => {
    const named = [...text.matchAll(/`(src\/[\w./-]+?)`/g)].map((match) => match[1]!.replace(/\/$/, ""));
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });
});
