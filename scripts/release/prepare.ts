/**
 * Prepares a release: bumps package.json, dates the Unreleased notes in CHANGELOG.md, pins the image tag of the
 * Kubernetes manifests, and prints the git commands that tag it. It runs no git command itself: a person reviews the
 * diff and pushes the tag, which starts the release workflow.
 *
 *   bun scripts/release/prepare.ts 1.2.3|patch|minor|major [--date YYYY-MM-DD] [--dry-run]
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import semver from "semver";
import { parseDocument } from "yaml";
import { releaseChangelog } from "./changelog.ts";

export const IMAGE_NAME = "ghcr.io/fabstir/fabstir-host";
export const KUSTOMIZATION_PATH = join("installers", "kubernetes", "kustomization.yaml");

/** Resolves "patch" / "minor" / "major" or an explicit X.Y.Z against the current version; it must go up. */
export function nextVersion(current: string, requested: string): string {
  const bump = ["major", "minor", "patch"].includes(requested)
    ? semver.inc(current, requested as semver.ReleaseType)
    : semver.valid(requested.replace(/^v/, ""));
  if (!bump) throw new Error(`not a version or bump kind: ${JSON.stringify(requested)} (X.Y.Z, patch, minor or major)`);
  if (!semver.gt(bump, current)) throw new Error(`${bump} is not newer than the current version ${current}`);
  return bump;
}

/** package.json with a new version; indentation and key order are kept. */
export function bumpPackageJson(text: string, version: string): string {
  const data = JSON.parse(text) as Record<string, unknown>;
  if (typeof data.version !== "string") throw new Error("package.json has no version");
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? "  ";
  data.version = version;
  return `${JSON.stringify(data, null, indent)}\n`;
}

/** kustomization.yaml with the fabstir-host image pinned to the version's tag; comments are kept. */
export function bumpKustomizeImage(text: string, version: string): string {
  const document = parseDocument(text);
  const images = document.get("images", true) as { items?: { get(key: string): unknown; set(key: string, value: unknown): void }[] } | undefined;
  const image = images?.items?.find((item) => item.get("name") === IMAGE_NAME);
  if (!image) throw new Error(`kustomization.yaml has no images entry for ${IMAGE_NAME}`);
  image.set("newTag", version);
  return document.toString();
}

export function tagCommands(version: string): string[] {
  return [
    "git add package.json CHANGELOG.md installers/kubernetes/kustomization.yaml",
    `git commit -m "Release v${version}"`,
    `git tag -a v${version} -m "fabstir-host ${version}"`,
    `git push origin HEAD v${version}`,
  ];
}

export interface PrepareOptions {
  /** Repository root holding package.json and CHANGELOG.md. */
  root: string;
  /** X.Y.Z, or patch / minor / major. */
  version: string;
  /** YYYY-MM-DD; today (UTC) when left out. */
  date?: string;
  dryRun?: boolean;
}

export interface PrepareResult {
  previous: string;
  version: string;
  changed: string[];
  commands: string[];
}

function writeAtomically(path: string, content: string): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

export function prepareRelease(options: PrepareOptions): PrepareResult {
  const packagePath = join(options.root, "package.json");
  const changelogPath = join(options.root, "CHANGELOG.md");
  const kustomizationPath = join(options.root, KUSTOMIZATION_PATH);
  const packageText = readFileSync(packagePath, "utf8");
  const previous = (JSON.parse(packageText) as { version: string }).version;
  const version = nextVersion(previous, options.version);
  const date = options.date ?? new Date().toISOString().slice(0, 10);

  // Everything is computed before anything is written, so a refusal leaves every file as it was.
  const updates: [string, string][] = [
    [packagePath, bumpPackageJson(packageText, version)],
    [changelogPath, releaseChangelog(readFileSync(changelogPath, "utf8"), version, date)],
  ];
  if (existsSync(kustomizationPath)) updates.push([kustomizationPath, bumpKustomizeImage(readFileSync(kustomizationPath, "utf8"), version)]);
  if (!options.dryRun) for (const [path, content] of updates) writeAtomically(path, content);
  return { previous, version, changed: updates.map(([path]) => path), commands: tagCommands(version) };
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { date: { type: "string" }, "dry-run": { type: "boolean", default: false }, root: { type: "string", default: "." } },
  });
  const requested = positionals[0];
  if (!requested) throw new Error("usage: prepare.ts X.Y.Z|patch|minor|major [--date YYYY-MM-DD] [--dry-run]");
  const result = prepareRelease({ root: values.root, version: requested, date: values.date, dryRun: values["dry-run"] });
  const verb = values["dry-run"] ? "would update" : "updated";
  console.log(`fabstir-host ${result.previous} -> ${result.version}: ${verb} ${result.changed.join(", ")}`);
  console.log("\nReview the diff, then tag the release (pushing the tag starts the release workflow):\n");
  for (const command of result.commands) console.log(`  ${command}`);
}

if (import.meta.main) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`prepare: ${(error as Error).message}`);
    process.exit(1);
  }
}
