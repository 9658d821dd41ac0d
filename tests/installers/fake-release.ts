/**
 * A stand-in for the release download site: fake binaries (small shell scripts that answer like fabstir-host), a
 * SHA256SUMS over them, and a local HTTP server that serves the files in both URL layouts the installers know:
 * github (`/download/vX.Y.Z/FILE`, `/latest/download/FILE`) and flat (`/vX.Y.Z/FILE`, `/latest/FILE`).
 */
import { createHash } from "node:crypto";

export type FileBody = string | Uint8Array;

export interface FakeRelease {
  version: string;
  /** File name → body, SHA256SUMS (and any signature) included. */
  files: Map<string, FileBody>;
}

export interface RequestRecord {
  path: string;
  userAgent: string;
}

export interface ReleaseServer {
  /** The base URL to give the installer (no trailing slash). */
  url: string;
  requests: RequestRecord[];
  stop(): void;
}

export const COMMIT = "abc123";

/** A fake binary: prints the version line for --version and a short report for doctor. */
export function fakeBinary(version: string, asset: string): string {
  return [
    "#!/bin/sh",
    `# fake ${asset}`,
    'case "${1:-}" in',
    `  --version) echo "fabstir-host ${version} (${COMMIT})" ;;`,
    '  doctor) echo "doctor: all checks passed" ;;',
    '  *) echo "fabstir-host (fake)" ;;',
    "esac",
    "",
  ].join("\n");
}

export function sha256Hex(body: FileBody): string {
  return createHash("sha256").update(body).digest("hex");
}

/** The `sha256sum` format: `<hex>  <file>`, one line per file. */
export function sha256Sums(files: Map<string, FileBody>): string {
  return [...files].map(([name, body]) => `${sha256Hex(body)}  ${name}\n`).join("");
}

export interface ReleaseOptions {
  /** Serve these files with a different body than SHA256SUMS announces. */
  tamper?: string[];
}

export function makeRelease(version: string, assets: string[], options: ReleaseOptions = {}): FakeRelease {
  const binaries = new Map<string, FileBody>(assets.map((asset) => [asset, fakeBinary(version, asset)]));
  const files = new Map<string, FileBody>(binaries);
  files.set("SHA256SUMS", sha256Sums(binaries));
  for (const name of options.tamper ?? []) files.set(name, `${String(files.get(name))}echo injected\n`);
  return { version, files };
}

export const ALL_UNIX_ASSETS = [
  "fabstir-host-linux-x64",
  "fabstir-host-linux-x64-baseline",
  "fabstir-host-linux-x64-musl",
  "fabstir-host-linux-arm64",
  "fabstir-host-linux-arm64-musl",
  "fabstir-host-darwin-x64",
  "fabstir-host-darwin-arm64",
];

function lookup(releases: FakeRelease[], latest: string, path: string): FileBody | undefined {
  const match =
    /^\/download\/v([^/]+)\/([^/]+)$/.exec(path) ??
    /^\/(latest)\/download\/([^/]+)$/.exec(path) ??
    /^\/v([^/]+)\/([^/]+)$/.exec(path) ??
    /^\/(latest)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const version = match[1] === "latest" ? latest : match[1];
  return releases.find((release) => release.version === version)?.files.get(match[2] ?? "");
}

/** Serves the releases on 127.0.0.1 (a free port); `latest` names the version behind the /latest/ paths. */
export function startReleaseServer(releases: FakeRelease[], latest: string): ReleaseServer {
  const requests: RequestRecord[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      requests.push({ path, userAgent: request.headers.get("user-agent") ?? "" });
      const body = lookup(releases, latest, path);
      return body === undefined ? new Response("not found", { status: 404 }) : new Response(body);
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}
