/**
 * The node release manifest: one JSON file listing every published fabstir-llm-node build with its size and SHA-256.
 * Validated with typanion so a malformed or newer manifest fails clearly instead of half-working.
 */
import * as t from "typanion";
import semver from "semver";
import type { FetchFn } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";

/**
 * The manifest to read, from node.manifestUrl. None is published: fabstir-llm-node ships as hand-made tarballs
 * `fabstir-llm-node-vX.Y.Z[-label].tar.gz` with no manifest and no checksums (fabstir-llm-node@85a87b8 README.md:183-188),
 * so with node.manifestUrl unset this says what to do instead of fetching a URL that answers 404.
 */
export function configuredManifestUrl(config: { node: { manifestUrl: string | null } }): string {
  const url = config.node.manifestUrl;
  if (url) return url;
  throw new HostError(NodeErrors.NODE_MANIFEST_UNSET, "No fabstir-llm-node release manifest is published, and node.manifestUrl is not set.", {
    details: { alternatives: ["node install --from <url> --sha256 <hex>", "node install --from <file.tar.gz>", "config set node.binaryPath <path>"] },
  });
}

export const PLATFORMS = ["linux-x64", "linux-arm64"] as const;
export const VARIANTS = ["cuda13", "cuda12", "cpu"] as const;
export type NodePlatform = (typeof PLATFORMS)[number];

declare module "../../context.ts" {
  interface HostServices {
    /** The node build platform to choose for, instead of this machine's (tests of other platforms). */
    nodePlatform?: NodePlatform;
  }
}
export type NodeVariant = (typeof VARIANTS)[number];

const isSha256 = t.cascade(t.isString(), [t.matchesRegExp(/^[0-9a-fA-F]{64}$/)]);
const isHttpUrl = t.cascade(t.isString(), [t.matchesRegExp(/^https?:\/\/\S+$/)]);
// Unknown fields are tolerated so later manifests can add information without breaking older CLIs.
const extra = { extra: t.isDict(t.isUnknown()) };

const isArtifact = t.isObject(
  {
    platform: t.isEnum(PLATFORMS),
    variant: t.isEnum(VARIANTS),
    url: isHttpUrl,
    size: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1)]),
    sha256: isSha256,
    minDriver: t.isOptional(t.isString()),
  },
  extra,
);

const isRelease = t.isObject(
  {
    version: t.cascade(t.isString(), [t.matchesRegExp(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/)]),
    date: t.isString(),
    notes: t.isOptional(t.isString()),
    artifacts: t.isArray(isArtifact),
  },
  extra,
);

const isManifest = t.isObject({ schema: t.isLiteral(1), versions: t.isArray(isRelease) }, extra);

export type NodeArtifact = t.InferType<typeof isArtifact>;
export type NodeRelease = t.InferType<typeof isRelease>;
export type NodeManifest = t.InferType<typeof isManifest>;

export function parseManifest(text: string, source = "manifest"): NodeManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HostError(NodeErrors.MANIFEST_INVALID, `The release manifest at ${source} is not JSON.`, { cause: error });
  }
  if (value && typeof value === "object" && "schema" in value && (value as { schema: unknown }).schema !== 1) {
    throw new HostError(
      NodeErrors.MANIFEST_INVALID,
      `The release manifest uses schema ${String((value as { schema: unknown }).schema)}; this version reads schema 1.`,
    );
  }
  const errors: string[] = [];
  if (!isManifest(value, { errors })) {
    throw new HostError(NodeErrors.MANIFEST_INVALID, `The release manifest at ${source} is malformed: ${errors.slice(0, 3).join("; ")}`, {
      details: { errors },
    });
  }
  return value;
}

export async function fetchManifest(fetchFn: FetchFn, url: string, timeoutMs = 30_000): Promise<NodeManifest> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
  } catch (error) {
    throw new HostError(NodeErrors.MANIFEST_FETCH, `Could not fetch the node release manifest from ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    throw new HostError(NodeErrors.MANIFEST_FETCH, `The node release manifest at ${url} answered HTTP ${response.status}.`);
  }
  return parseManifest(await response.text(), url);
}

/** Releases, newest first (semver order; prereleases sort below their release). */
export function sortedReleases(manifest: NodeManifest): NodeRelease[] {
  return [...manifest.versions].sort((a, b) => semver.rcompare(a.version, b.version));
}

/** The named release, or the newest stable one (a prerelease only when nothing stable exists). */
export function pickRelease(manifest: NodeManifest, version?: string): NodeRelease {
  const releases = sortedReleases(manifest);
  if (version) {
    const wanted = version.replace(/^v/, "");
    const found = releases.find((r) => r.version === wanted);
    if (!found) {
      throw new HostError(NodeErrors.VERSION_NOT_FOUND, `Node version ${wanted} is not in the release manifest.`, {
        details: { available: releases.map((r) => r.version) },
      });
    }
    return found;
  }
  const release = releases.find((r) => semver.prerelease(r.version) === null) ?? releases[0];
  if (!release) throw new HostError(NodeErrors.MANIFEST_INVALID, "The release manifest lists no versions.");
  return release;
}

export function currentPlatform(platform: string = process.platform, arch: string = process.arch): NodePlatform | null {
  if (platform !== "linux") return null;
  if (arch === "x64") return "linux-x64";
  if (arch === "arm64") return "linux-arm64";
  return null;
}
