/**
 * What a release publishes and where: the asset names `scripts/build.ts` writes to dist/, the download URL layout
 * of GitHub releases, and the SHA256SUMS file (`sha256sum` format) that every packaging script reads its hashes from.
 */

export const DEFAULT_RELEASES_URL = "https://github.com/fabstir/fabstir-host/releases";

export const ASSETS = {
  linuxX64: "fabstir-host-linux-x64",
  linuxArm64: "fabstir-host-linux-arm64",
  darwinX64: "fabstir-host-darwin-x64",
  darwinArm64: "fabstir-host-darwin-arm64",
  windowsX64: "fabstir-host-windows-x64.exe",
} as const;

/** File name → lowercase hex SHA-256. */
export type Sha256Sums = ReadonlyMap<string, string>;

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Accepts "1.2.3" or "v1.2.3" and returns "1.2.3"; throws on anything that is not a plain semantic version. */
export function normalizeVersion(version: string): string {
  const bare = version.trim().replace(/^v/, "");
  if (!SEMVER.test(bare)) throw new Error(`not a version: ${JSON.stringify(version)} (expected X.Y.Z)`);
  return bare;
}

/** Parses `<hex>  <file>` lines (a `*` before the name marks binary mode and is dropped); blank lines are skipped. */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const match = /^([0-9a-fA-F]{64}) [ *]?(\S.*)$/.exec(line);
    if (!match) throw new Error(`SHA256SUMS line ${index + 1} is not "<sha256>  <file>": ${JSON.stringify(line)}`);
    sums.set(match[2]!.trim(), match[1]!.toLowerCase());
  }
  return sums;
}

/** The hash of one asset, or a clear error naming what the release is missing. */
export function requireSum(sums: Sha256Sums, asset: string): string {
  const sum = sums.get(asset);
  if (!sum) throw new Error(`SHA256SUMS has no entry for ${asset} (found: ${[...sums.keys()].join(", ") || "nothing"})`);
  return sum;
}

/** `<releases>/download/v<version>/<file>`, the GitHub release layout. */
export function releaseAssetUrl(baseUrl: string, version: string, file: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/download/v${normalizeVersion(version)}/${file}`;
}
