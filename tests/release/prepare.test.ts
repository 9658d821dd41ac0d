/**
 * Preparing a release: version bump rules, package.json and kustomization rewrites that keep formatting, the
 * CHANGELOG move from Unreleased to a dated version, the notes read back for the GitHub release, and the whole
 * thing on temporary copies of the real files.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import semver from "semver";
import { parse } from "yaml";
import { changelogSection, releaseChangelog } from "../../scripts/release/changelog.ts";
import { releaseNotes } from "../../scripts/release/notes.ts";
import { bumpKustomizeImage, bumpPackageJson, nextVersion, prepareRelease, tagCommands } from "../../scripts/release/prepare.ts";
import { REPO_ROOT, runScript } from "./fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "fabstir-prepare-"));
const current: string = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version;
const nextMinor = semver.inc(current, "minor")!;
const nextPatch = semver.inc(current, "patch")!;
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CHANGELOG = `# Changelog

Intro text.

## [Unreleased]

### Added
- Shiny thing.

### Fixed
- Broken thing.

## [0.9.0] - 2026-01-02

### Added
- First release.

[Unreleased]: https://github.com/fabstir/fabstir-host/compare/v0.9.0...HEAD
[0.9.0]: https://github.com/fabstir/fabstir-host/releases/tag/v0.9.0
`;

/** Copies of the real package.json and kustomization.yaml, and a changelog with notes, as prepare.ts sees a checkout. */
function checkoutCopy(): string {
  const root = mkdtempSync(join(work, "repo-"));
  cpSync(join(REPO_ROOT, "package.json"), join(root, "package.json"));
  const changelog = "# Changelog\n\n## [Unreleased]\n\n### Added\n- Something.\n\n[Unreleased]: https://github.com/fabstir/fabstir-host/commits/main\n";
  writeFileSync(join(root, "CHANGELOG.md"), changelog);
  mkdirSync(join(root, "installers", "kubernetes"), { recursive: true });
  cpSync(join(REPO_ROOT, "installers", "kubernetes", "kustomization.yaml"), join(root, "installers", "kubernetes", "kustomization.yaml"));
  return root;
}

describe("release preparation", () => {
  test("nextVersion bumps by kind or takes an explicit newer version", () => {
    expect(nextVersion("1.2.3", "patch")).toBe("1.2.4");
    expect(nextVersion("1.2.3", "minor")).toBe("1.3.0");
    expect(nextVersion("1.2.3", "major")).toBe("2.0.0");
    expect(nextVersion("1.2.3", "v1.3.0-rc.1")).toBe("1.3.0-rc.1");
    expect(() => nextVersion("1.2.3", "1.2.3")).toThrow(/not newer/);
    expect(() => nextVersion("1.2.3", "1.0.0")).toThrow(/not newer/);
    expect(() => nextVersion("1.2.3", "soon")).toThrow(/not a version/);
  });

  test("bumpPackageJson changes only the version and keeps indentation", () => {
    const original = readFileSync(join(REPO_ROOT, "package.json"), "utf8");
    const bumped = bumpPackageJson(original, "9.8.7");
    expect(JSON.parse(bumped)).toEqual({ ...JSON.parse(original), version: "9.8.7" });
    expect(bumped.split("\n").length).toBe(original.trimEnd().split("\n").length + 1);
    expect(bumpPackageJson('{\n    "name": "x",\n    "version": "1.0.0"\n}', "1.0.1")).toBe('{\n    "name": "x",\n    "version": "1.0.1"\n}\n');
  });

  test("bumpKustomizeImage pins the image tag and keeps comments", () => {
    const original = readFileSync(join(REPO_ROOT, "installers", "kubernetes", "kustomization.yaml"), "utf8");
    const bumped = bumpKustomizeImage(original, "9.8.7");
    expect(parse(bumped).images).toEqual([{ name: "ghcr.io/fabstir/fabstir-host", newTag: "9.8.7" }]);
    expect(bumped).toContain("# scripts/release/prepare.ts pins this tag");
    expect(() => bumpKustomizeImage("resources: []\n", "1.0.0")).toThrow(/no images entry/);
  });

  test("the Kubernetes image tag follows package.json (prepare.ts moves both)", () => {
    const kustomization = parse(readFileSync(join(REPO_ROOT, "installers", "kubernetes", "kustomization.yaml"), "utf8"));
    expect(kustomization.images[0].newTag).toBe(current);
  });

  test("releaseChangelog dates the Unreleased notes and fixes the compare links", () => {
    const released = releaseChangelog(CHANGELOG, "1.0.0", "2026-07-01");
    expect(released).toContain("## [Unreleased]\n\n## [1.0.0] - 2026-07-01\n\n### Added\n- Shiny thing.\n\n### Fixed\n- Broken thing.\n\n## [0.9.0]");
    expect(released).toContain("[Unreleased]: https://github.com/fabstir/fabstir-host/compare/v1.0.0...HEAD\n");
    expect(released).toContain("[1.0.0]: https://github.com/fabstir/fabstir-host/compare/v0.9.0...v1.0.0\n");
    expect(changelogSection(released, "1.0.0")).toBe("### Added\n- Shiny thing.\n\n### Fixed\n- Broken thing.");
    expect(changelogSection(released, "0.9.0")).toBe("### Added\n- First release.");
  });

  test("releaseChangelog refuses an empty Unreleased section, a repeated version and a bad date", () => {
    const released = releaseChangelog(CHANGELOG, "1.0.0", "2026-07-01");
    expect(() => releaseChangelog(released, "1.0.1", "2026-07-02")).toThrow(/empty/);
    expect(() => releaseChangelog(CHANGELOG, "0.9.0", "2026-07-02")).toThrow(/already has a section for 0.9.0/);
    expect(() => releaseChangelog(CHANGELOG, "1.0.0", "01/07/2026")).toThrow(/YYYY-MM-DD/);
    expect(() => releaseChangelog("# Changelog\n", "1.0.0", "2026-07-01")).toThrow(/no '## \[Unreleased\]'/);
  });

  test("the project's CHANGELOG.md keeps the Keep a Changelog shape", () => {
    const changelog = readFileSync(join(REPO_ROOT, "CHANGELOG.md"), "utf8");
    expect(changelog).toStartWith("# Changelog\n");
    expect(changelog).toContain("https://keepachangelog.com/");
    expect(changelog).toMatch(/^## \[Unreleased\]$/m);
    for (const heading of changelog.match(/^## .*$/gm)!.slice(1)) expect(heading).toMatch(/^## \[\d+\.\d+\.\d+[^\]]*\] - \d{4}-\d{2}-\d{2}$/);
    expect(changelog).toMatch(/^\[Unreleased\]: https:\/\/github\.com\/fabstir\/fabstir-host\//m);
  });

  test("a first release links to its tag, and notes carry the SHA256SUMS line", () => {
    const first = releaseChangelog(
      "# Changelog\n\n## [Unreleased]\n- One.\n\n[Unreleased]: https://github.com/fabstir/fabstir-host/commits/main\n",
      "0.2.0",
      "2026-07-01",
    );
    expect(first).toContain(
      "[Unreleased]: https://github.com/fabstir/fabstir-host/compare/v0.2.0...HEAD\n[0.2.0]: https://github.com/fabstir/fabstir-host/releases/tag/v0.2.0\n",
    );
    expect(releaseNotes(first, "v0.2.0")).toBe(
      "- One.\n\nEvery file is listed in `SHA256SUMS`; the install scripts check it (and its signature, when published).\n",
    );
  });

  test("prepareRelease updates the copies, and a dry run or a refusal writes nothing", () => {
    const root = checkoutCopy();
    const before = readFileSync(join(root, "CHANGELOG.md"), "utf8");
    const dry = prepareRelease({ root, version: "minor", date: "2026-07-01", dryRun: true });
    expect(dry.version).toBe(nextMinor);
    expect(readFileSync(join(root, "CHANGELOG.md"), "utf8")).toBe(before);

    const result = prepareRelease({ root, version: "minor", date: "2026-07-01" });
    expect(result).toMatchObject({ previous: current, version: nextMinor, commands: tagCommands(nextMinor) });
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version).toBe(nextMinor);
    expect(readFileSync(join(root, "CHANGELOG.md"), "utf8")).toContain(`## [${nextMinor}] - 2026-07-01`);
    expect(readFileSync(join(root, "installers", "kubernetes", "kustomization.yaml"), "utf8")).toContain(`newTag: ${nextMinor}`);

    const packageAfter = readFileSync(join(root, "package.json"), "utf8");
    expect(() => prepareRelease({ root, version: "patch", date: "2026-07-02" })).toThrow(/empty/);
    expect(readFileSync(join(root, "package.json"), "utf8")).toBe(packageAfter);
    expect(tagCommands("0.2.0")).toContain('git tag -a v0.2.0 -m "fabstir-host 0.2.0"');
  });

  test("the CLI prints the git commands and runs none", async () => {
    const root = checkoutCopy();
    const result = await runScript("scripts/release/prepare.ts", [nextPatch, "--date", "2026-07-01"], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`fabstir-host ${current} -> ${nextPatch}`);
    expect(result.stdout).toContain(`git tag -a v${nextPatch}`);
    expect(existsSync(join(root, ".git"))).toBe(false);
    const refused = await runScript("scripts/release/prepare.ts", ["0.0.0"], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("not newer");
  });
});
