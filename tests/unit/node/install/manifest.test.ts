import { describe, expect, test } from "bun:test";
import { currentPlatform, fetchManifest, parseManifest, pickRelease, sortedReleases } from "../../../../src/node/install/manifest.ts";
import type { HostError } from "../../../../src/errors/host-error.ts";
import { NodeErrors } from "../../../../src/errors/codes/node.ts";
import { startFileServer } from "../helpers/file-server.ts";

const artifact = {
  platform: "linux-x64",
  variant: "cuda13",
  url: "https://example.org/a.tar.gz",
  size: 900_000_000,
  sha256: "ab".repeat(32),
  minDriver: "580.0",
};
const manifest = {
  schema: 1,
  generatedBy: "release script", // unknown fields are tolerated
  versions: [
    { version: "1.4.2", date: "2026-10-01", artifacts: [artifact] },
    { version: "1.10.0-rc.1", date: "2026-11-20", notes: "release candidate", artifacts: [artifact] },
    { version: "1.9.0", date: "2026-11-01", notes: "newest stable", artifacts: [{ ...artifact, variant: "cpu", minDriver: undefined }] },
  ],
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as HostError).code;
  }
  return "none";
}

describe("release manifest", () => {
  test("a valid manifest parses; releases sort newest first by semver", () => {
    const parsed = parseManifest(JSON.stringify(manifest));
    expect(sortedReleases(parsed).map((r) => r.version)).toEqual(["1.10.0-rc.1", "1.9.0", "1.4.2"]);
  });

  test("pickRelease: newest stable by default, or the named one", () => {
    const parsed = parseManifest(JSON.stringify(manifest));
    expect(pickRelease(parsed).version).toBe("1.9.0");
    expect(pickRelease(parsed, "v1.4.2").version).toBe("1.4.2");
    expect(pickRelease(parsed, "1.10.0-rc.1").notes).toBe("release candidate");
    expect(codeOf(() => pickRelease(parsed, "0.0.1"))).toBe(NodeErrors.VERSION_NOT_FOUND.code);
  });

  test("malformed manifests are rejected with the reason", () => {
    expect(codeOf(() => parseManifest("{"))).toBe(NodeErrors.MANIFEST_INVALID.code);
    expect(codeOf(() => parseManifest(JSON.stringify({ ...manifest, schema: 2 })))).toBe(NodeErrors.MANIFEST_INVALID.code);
    const badSha = { schema: 1, versions: [{ version: "1.0.0", date: "x", artifacts: [{ ...artifact, sha256: "xyz" }] }] };
    try {
      parseManifest(JSON.stringify(badSha));
      throw new Error("should fail");
    } catch (error) {
      expect((error as HostError).message).toContain("sha256");
    }
    const badVariant = { schema: 1, versions: [{ version: "1.0.0", date: "x", artifacts: [{ ...artifact, variant: "rocm" }] }] };
    expect(codeOf(() => parseManifest(JSON.stringify(badVariant)))).toBe(NodeErrors.MANIFEST_INVALID.code);
    const ftp = { schema: 1, versions: [{ version: "1.0.0", date: "x", artifacts: [{ ...artifact, url: "ftp://x" }] }] };
    expect(codeOf(() => parseManifest(JSON.stringify(ftp)))).toBe(NodeErrors.MANIFEST_INVALID.code);
  });

  test("fetchManifest over HTTP, and its failures", async () => {
    const server = await startFileServer({ "/manifest.json": JSON.stringify(manifest) });
    try {
      const fetchFn = (input: string | URL | Request, init?: RequestInit) => fetch(input, init);
      expect((await fetchManifest(fetchFn, `${server.url}/manifest.json`)).versions).toHaveLength(3);
      await expect(fetchManifest(fetchFn, `${server.url}/nope.json`)).rejects.toMatchObject({ code: NodeErrors.MANIFEST_FETCH.code });
      await expect(fetchManifest(fetchFn, "http://127.0.0.1:1/manifest.json")).rejects.toMatchObject({ code: NodeErrors.MANIFEST_FETCH.code });
    } finally {
      await server.close();
    }
  });

  test("platforms", () => {
    expect(currentPlatform("linux", "x64")).toBe("linux-x64");
    expect(currentPlatform("linux", "arm64")).toBe("linux-arm64");
    expect(currentPlatform("darwin", "arm64")).toBeNull();
    expect(currentPlatform("win32", "x64")).toBeNull();
  });
});
