/**
 * A stand-in release site and installation for self-update tests: fake binaries (shell scripts that answer
 * `--version` like fabstir-host), SHA256SUMS over them, latest.json, a local HTTP server in the GitHub layout, and a
 * temp directory holding an "installed" binary with its install receipt.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ASSET = "fabstir-host-linux-x64";

export function fakeBinary(version: string, options: { broken?: boolean; commit?: string } = {}): string {
  if (options.broken) return "#!/bin/sh\necho 'error while loading shared libraries: libc.musl' >&2\nexit 127\n";
  return [
    "#!/bin/sh",
    'case "${1:-}" in',
    `  --version) echo "fabstir-host ${version} (${options.commit ?? "abc"})" ;;`,
    '  *) echo "fake" ;;',
    "esac",
    "",
  ].join("\n");
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface FakeReleaseFiles {
  version: string;
  files: Map<string, string>;
}

/** A release with one fake binary per asset; `tamper` serves a body other than SHA256SUMS announces. */
export function makeRelease(version: string, options: { assets?: string[]; broken?: boolean; tamper?: boolean } = {}): FakeReleaseFiles {
  const assets = options.assets ?? [ASSET, `${ASSET}-baseline`, "fabstir-host-linux-arm64"];
  const files = new Map<string, string>();
  for (const asset of assets) files.set(asset, fakeBinary(version, { broken: options.broken }));
  files.set("SHA256SUMS", [...files].map(([name, body]) => `${sha256(body)}  ${name}\n`).join(""));
  if (options.tamper) for (const asset of assets) files.set(asset, `${files.get(asset)}echo injected\n`);
  return { version, files };
}

export interface ReleaseServer {
  url: string;
  paths: string[];
  /** Changes what latest.json says (null: 404). */
  setLatest(version: string | null): void;
  stop(): void;
}

export function startReleaseServer(releases: FakeReleaseFiles[], latest: string | null): ReleaseServer {
  const paths: string[] = [];
  let latestVersion = latest;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      paths.push(path);
      if (path === "/latest/download/latest.json") {
        return latestVersion === null
          ? new Response("not found", { status: 404 })
          : Response.json({ version: latestVersion, date: "2026-07-01", notes: "Faster proofs." });
      }
      const match = /^\/download\/v([^/]+)\/([^/]+)$/.exec(path);
      const body = match ? releases.find((r) => r.version === match[1])?.files.get(match[2]!) : undefined;
      return body === undefined ? new Response("not found", { status: 404 }) : new Response(body);
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, paths, setLatest: (v) => (latestVersion = v), stop: () => server.stop(true) };
}

export interface FakeInstall {
  root: string;
  binary: string;
  receiptDir: string;
  receiptPath: string;
  /** The env a command under test gets: receipt location, release site, private HOME. */
  env: Record<string, string>;
  cleanup(): void;
  /** Files in the binary's directory (to prove nothing was left behind). */
  binDirEntries(): string[];
}

export function makeInstall(options: { version?: string; baseUrl: string; asset?: string }): FakeInstall {
  const root = mkdtempSync(join(tmpdir(), "fabstir-update-"));
  const binDir = join(root, "bin");
  const receiptDir = join(root, "share", "fabstir-host");
  mkdirSync(binDir, { recursive: true });
  mkdirSync(receiptDir, { recursive: true });
  const binary = join(binDir, "fabstir-host");
  const body = fakeBinary(options.version ?? "1.2.0");
  writeFileSync(binary, body);
  chmodSync(binary, 0o755);
  const receiptPath = join(receiptDir, "install-receipt");
  writeFileSync(
    receiptPath,
    [
      "# Written by install.sh; read by `fabstir-host self-update` and `install.sh --uninstall`.",
      "channel=script",
      `version=${options.version ?? "1.2.0"}`,
      "commit=abc",
      `asset=${options.asset ?? ASSET}`,
      `path=${binary}`,
      `sha256=${sha256(body)}`,
      `base_url=${options.baseUrl}`,
      "layout=github",
      "installed_at=2026-06-01T00:00:00Z",
      "",
    ].join("\n"),
  );
  return {
    root,
    binary,
    receiptDir,
    receiptPath,
    env: { HOME: root, NO_COLOR: "1", FABSTIR_RECEIPT_DIR: receiptDir, FABSTIR_UPDATE_BASE: options.baseUrl },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
    binDirEntries: () => readdirSync(binDir).sort(),
  };
}

export function receiptField(path: string, key: string): string | undefined {
  return readFileSync(path, "utf8")
    .split("\n")
    .find((line) => line.startsWith(`${key}=`))
    ?.slice(key.length + 1);
}

/** Pretends a host runs for `runDir`: the PID file names a live process (this test runner). */
export function writeRunningHost(runDir: string, pid = process.pid): void {
  mkdirSync(runDir, { recursive: true });
  writeFileSync(
    join(runDir, "host.pid"),
    JSON.stringify({
      pid,
      processStart: null,
      started: "2026-07-01T00:00:00Z",
      version: "1.2.0",
      mode: "daemon",
      home: runDir,
      state: "running",
      unhealthyReason: null,
      node: null,
      ports: { internal: null, api: 8080, p2p: 9000 },
      logs: { host: null, node: "", daemon: null },
    }),
  );
}
