/**
 * Where releases come from. Two URL layouts, the same as the install scripts:
 *   github: <base>/download/v1.2.3/<file>   and  <base>/latest/download/<file>
 *   flat:   <base>/v1.2.3/<file>            and  <base>/latest/<file>        (mirrors)
 * The latest version is a small JSON file published with every release, `latest.json` =
 * `{"version":"1.2.3","date":"…","notes":"…"}`; on GitHub, the releases API answers when it is missing.
 */
import semver from "semver";
import type { FetchFn } from "../context.ts";
import type { InstallReceipt } from "./receipt.ts";
import { SIGNATURE_FILE, checkReleaseSignature } from "./release-signature.ts";
import { HostError } from "../errors/host-error.ts";
import { ShipErrors } from "../errors/codes/ship.ts";

export const DEFAULT_RELEASE_BASE = "https://github.com/fabstir/fabstir-host/releases";
export const GITHUB_LATEST_API = "https://api.github.com/repos/fabstir/fabstir-host/releases/latest";
export const LATEST_FILE = "latest.json";
export const SUMS_FILE = "SHA256SUMS";

export type ReleaseLayout = "github" | "flat";

export interface ReleaseSource {
  baseUrl: string;
  layout: ReleaseLayout;
}

export interface LatestRelease {
  version: string;
  date: string | null;
  notes: string | null;
}

export interface FetchOptions {
  /** minisign public key: when set, SHA256SUMS must come with a SHA256SUMS.sig it verifies (release-signature.ts). */
  publicKey?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  userAgent?: string;
}

/** FABSTIR_UPDATE_BASE (tests, mirrors) wins, then the mirror the install script used, then GitHub. */
export function resolveReleaseSource(env: Record<string, string | undefined>, receipt?: InstallReceipt | null): ReleaseSource {
  const fromEnv = env.FABSTIR_UPDATE_BASE?.trim();
  const baseUrl = (fromEnv || receipt?.baseUrl || DEFAULT_RELEASE_BASE).replace(/\/+$/, "");
  const layoutText = env.FABSTIR_UPDATE_LAYOUT?.trim() || (fromEnv ? "github" : receipt?.layout) || "github";
  return { baseUrl, layout: layoutText === "flat" ? "flat" : "github" };
}

export function latestUrl(source: ReleaseSource, file = LATEST_FILE): string {
  return source.layout === "github" ? `${source.baseUrl}/latest/download/${file}` : `${source.baseUrl}/latest/${file}`;
}

export function assetUrl(source: ReleaseSource, version: string, file: string): string {
  return source.layout === "github" ? `${source.baseUrl}/download/v${version}/${file}` : `${source.baseUrl}/v${version}/${file}`;
}

/** "v1.2.3" and "1.2.3" → "1.2.3"; null for anything that is not a semantic version. */
export function normalizeVersion(text: string | null | undefined): string | null {
  if (!text) return null;
  return semver.valid(semver.clean(text.trim()) ?? text.trim());
}

export function parseLatestJson(text: string): LatestRelease | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== "object") return null;
  const record = raw as Record<string, unknown>;
  // latest.json says "version"; the GitHub API says "tag_name" (v1.2.3).
  const version = normalizeVersion(typeof record.version === "string" ? record.version : typeof record.tag_name === "string" ? record.tag_name : null);
  if (!version) return null;
  const text_ = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
  return { version, date: text_(record.date) ?? text_(record.published_at), notes: text_(record.notes) ?? text_(record.body) };
}

/** `sha256sum` output: `<hex>  <file>` (or `<hex> *<file>` in binary mode); file name → lower-case hex. */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/.exec(line.trim());
    if (match && !sums.has(match[2]!)) sums.set(match[2]!, match[1]!.toLowerCase());
  }
  return sums;
}

function signalFor(options: FetchOptions): AbortSignal {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  return options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
}

function headers(options: FetchOptions): Record<string, string> {
  return { "user-agent": options.userAgent ?? "fabstir-host", accept: "application/json, text/plain, */*" };
}

async function getText(fetchFn: FetchFn, url: string, options: FetchOptions): Promise<{ status: number; text: string }> {
  const response = await fetchFn(url, { signal: signalFor(options), headers: headers(options), redirect: "follow" });
  return { status: response.status, text: response.ok ? await response.text() : "" };
}

export async function fetchLatestRelease(fetchFn: FetchFn, source: ReleaseSource, options: FetchOptions = {}): Promise<LatestRelease> {
  const url = latestUrl(source);
  let failure: string;
  try {
    const { status, text } = await getText(fetchFn, url, options);
    if (status === 200) {
      const latest = parseLatestJson(text);
      if (latest) return latest;
      failure = `${url} is not a latest.json ({"version":"X.Y.Z"})`;
    } else failure = `${url} answered HTTP ${status}`;
    // Releases made before latest.json was published: GitHub's API names the latest tag.
    if (status === 404 && source.baseUrl === DEFAULT_RELEASE_BASE) {
      const api = await getText(fetchFn, GITHUB_LATEST_API, options);
      const latest = api.status === 200 ? parseLatestJson(api.text) : null;
      if (latest) return latest;
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new HostError(ShipErrors.UPDATE_LATEST_UNAVAILABLE, `Could not fetch ${url}: ${(error as Error).message}`, { cause: error });
  }
  throw new HostError(ShipErrors.UPDATE_LATEST_UNAVAILABLE, `Could not learn the latest version: ${failure}.`);
}

export async function fetchChecksums(fetchFn: FetchFn, source: ReleaseSource, version: string, options: FetchOptions = {}): Promise<Map<string, string>> {
  const url = assetUrl(source, version, SUMS_FILE);
  let result: { status: number; text: string };
  try {
    result = await getText(fetchFn, url, options);
  } catch (error) {
    throw new HostError(ShipErrors.UPDATE_DOWNLOAD_FAILED, `Could not download ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (result.status === 404) {
    throw new HostError(ShipErrors.UPDATE_RELEASE_NOT_FOUND, `fabstir-host ${version} is not published at ${source.baseUrl} (no ${SUMS_FILE}).`);
  }
  if (result.status !== 200) throw new HostError(ShipErrors.UPDATE_DOWNLOAD_FAILED, `${url} answered HTTP ${result.status}.`);
  const sums = parseSha256Sums(result.text);
  if (sums.size === 0) throw new HostError(ShipErrors.UPDATE_DOWNLOAD_FAILED, `${url} lists no checksums.`);
  if (options.publicKey) {
    // The signature is over the exact bytes of SHA256SUMS, checked before any checksum in it is trusted.
    const sig = await getText(fetchFn, assetUrl(source, version, SIGNATURE_FILE), options).catch(() => ({ status: 0, text: "" }));
    checkReleaseSignature(result.text, sig.status === 200 ? sig.text : undefined, options.publicKey, `${source.baseUrl} (${version})`, version);
  }
  return sums;
}
