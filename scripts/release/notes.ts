/**
 * Prints the release notes of one version, read from CHANGELOG.md, for the GitHub release body.
 *
 *   bun scripts/release/notes.ts 1.2.3 [--changelog CHANGELOG.md] > notes.md
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { changelogSection } from "./changelog.ts";
import { normalizeVersion } from "./release-files.ts";

export function releaseNotes(changelog: string, version: string): string {
  const notes = changelogSection(changelog, normalizeVersion(version));
  const sums = "Every file is listed in `SHA256SUMS`; the install scripts check it (and its signature, when published).";
  return `${notes}\n\n${sums}\n`;
}

if (import.meta.main) {
  try {
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { changelog: { type: "string", default: "CHANGELOG.md" } },
    });
    if (!positionals[0]) throw new Error("usage: notes.ts X.Y.Z [--changelog FILE]");
    process.stdout.write(releaseNotes(readFileSync(values.changelog, "utf8"), positionals[0]));
  } catch (error) {
    console.error(`notes: ${(error as Error).message}`);
    process.exit(1);
  }
}
