import { describe, expect, test } from "bun:test";
import {
  DEFAULT_RELEASE_BASE,
  GITHUB_LATEST_API,
  assetUrl,
  fetchChecksums,
  fetchLatestRelease,
  latestUrl,
  parseLatestJson,
  parseSha256Sums,
  resolveReleaseSource,
} from "../../../src/self-update/release-source.ts";
import { parseReceipt } from "../../../src/self-update/receipt.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import type { FetchFn } from "../../../src/context.ts";
import { ShipErrors } from "../../../src/errors/codes/index.ts";

const HEX = "a".repeat(64);

function routes(table: Record<string, [number, string]>): FetchFn & { seen: string[] } {
  const seen: string[] = [];
  const fn = (async (input: string | URL | Request) => {
    const url = String(input);
    seen.push(url);
    const [status, body] = table[url] ?? [404, "not found"];
    return new Response(body, { status });
  }) as FetchFn & { seen: string[] };
  fn.seen = seen;
  return fn;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof HostError ? error.code : `not a HostError: ${error}`;
  }
  return undefined;
}

describe("release URLs", () => {
  test("GitHub layout and the flat mirror layout, as the install scripts use them", () => {
    const github = { baseUrl: "https://example.org/rel", layout: "github" as const };
    const flat = { baseUrl: "https://mirror.example.org/fh", layout: "flat" as const };
    expect(latestUrl(github)).toBe("https://example.org/rel/latest/download/latest.json");
    expect(assetUrl(github, "1.3.0", "SHA256SUMS")).toBe("https://example.org/rel/download/v1.3.0/SHA256SUMS");
    expect(latestUrl(flat)).toBe("https://mirror.example.org/fh/latest/latest.json");
    expect(assetUrl(flat, "1.3.0", "fabstir-host-linux-x64")).toBe("https://mirror.example.org/fh/v1.3.0/fabstir-host-linux-x64");
  });

  test("FABSTIR_UPDATE_BASE wins over the receipt's mirror, which wins over GitHub", () => {
    const receipt = parseReceipt("channel=script\nbase_url=https://mirror.example.org/fh/\nlayout=flat\n");
    expect(resolveReleaseSource({}, null)).toEqual({ baseUrl: DEFAULT_RELEASE_BASE, layout: "github" });
    expect(resolveReleaseSource({}, receipt)).toEqual({ baseUrl: "https://mirror.example.org/fh", layout: "flat" });
    expect(resolveReleaseSource({ FABSTIR_UPDATE_BASE: "http://127.0.0.1:1/" }, receipt)).toEqual({ baseUrl: "http://127.0.0.1:1", layout: "github" });
    expect(resolveReleaseSource({ FABSTIR_UPDATE_BASE: "http://m/", FABSTIR_UPDATE_LAYOUT: "flat" }, null).layout).toBe("flat");
  });
});

describe("parsing", () => {
  test("SHA256SUMS in text and binary mode; first entry per name wins", () => {
    const sums = parseSha256Sums(
      `${HEX}  fabstir-host-linux-x64\n${"B".repeat(64)} *fabstir-host-windows-x64.exe\r\ngarbage line\n${"c".repeat(64)}  fabstir-host-linux-x64\n`,
    );
    expect([...sums]).toEqual([
      ["fabstir-host-linux-x64", HEX],
      ["fabstir-host-windows-x64.exe", "b".repeat(64)],
    ]);
  });

  test("latest.json and the GitHub API answer; anything else is rejected", () => {
    expect(parseLatestJson('{"version":"1.3.0","date":"2026-07-01","notes":"n"}')).toEqual({ version: "1.3.0", date: "2026-07-01", notes: "n" });
    expect(parseLatestJson('{"tag_name":"v1.3.0","published_at":"2026-07-01T00:00:00Z","body":"b"}')).toEqual({
      version: "1.3.0",
      date: "2026-07-01T00:00:00Z",
      notes: "b",
    });
    expect(parseLatestJson('{"version":"soon"}')).toBeNull();
    expect(parseLatestJson("<html>")).toBeNull();
  });
});

describe("fetching", () => {
  const local = { baseUrl: "http://127.0.0.1:9", layout: "github" as const };

  test("latest.json, or GitHub's releases API for the default site when latest.json is missing", async () => {
    expect((await fetchLatestRelease(routes({ "http://127.0.0.1:9/latest/download/latest.json": [200, '{"version":"2.0.0"}'] }), local)).version).toBe("2.0.0");
    const github = routes({ [GITHUB_LATEST_API]: [200, '{"tag_name":"v1.4.0"}'] });
    expect((await fetchLatestRelease(github, { baseUrl: DEFAULT_RELEASE_BASE, layout: "github" })).version).toBe("1.4.0");
    expect(github.seen).toEqual([`${DEFAULT_RELEASE_BASE}/latest/download/latest.json`, GITHUB_LATEST_API]);
  });

  test("a mirror without latest.json, a malformed one, or no network: FH0702", async () => {
    expect(await codeOf(fetchLatestRelease(routes({}), local))).toBe(ShipErrors.UPDATE_LATEST_UNAVAILABLE.code);
    expect(await codeOf(fetchLatestRelease(routes({ "http://127.0.0.1:9/latest/download/latest.json": [200, "{}"] }), local))).toBe(
      ShipErrors.UPDATE_LATEST_UNAVAILABLE.code,
    );
    const offline = (async () => {
      throw new TypeError("fetch failed");
    }) as FetchFn;
    expect(await codeOf(fetchLatestRelease(offline, local))).toBe(ShipErrors.UPDATE_LATEST_UNAVAILABLE.code);
  });

  test("SHA256SUMS: 404 means the version is not published (FH0703), other failures FH0705", async () => {
    expect(await codeOf(fetchChecksums(routes({}), local, "9.9.9"))).toBe(ShipErrors.UPDATE_RELEASE_NOT_FOUND.code);
    expect(await codeOf(fetchChecksums(routes({ "http://127.0.0.1:9/download/v1.0.0/SHA256SUMS": [500, ""] }), local, "1.0.0"))).toBe(
      ShipErrors.UPDATE_DOWNLOAD_FAILED.code,
    );
    const sums = await fetchChecksums(routes({ "http://127.0.0.1:9/download/v1.0.0/SHA256SUMS": [200, `${HEX}  a\n`] }), local, "1.0.0");
    expect(sums.get("a")).toBe(HEX);
  });
});
