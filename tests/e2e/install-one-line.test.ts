/**
 * The promise of the install line: on a machine with only a shell and curl, in a fresh HOME, one line installs the
 * freshly built binary from a release server (here a local one serving dist/ in the mirror layout) and it runs
 * `fabstir-host doctor`. A tampered binary is refused.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledBinary } from "../helpers/binary.ts";
import { sha256File } from "../../scripts/build.ts";

const root = join(import.meta.dir, "..", "..");
let server: ReturnType<typeof Bun.serve>;
let files: Map<string, Uint8Array>;
let scratch: string;
let toolsDir: string;

beforeAll(async () => {
  const binary = await compiledBinary();
  const asset = `fabstir-host-${process.arch === "arm64" ? "linux-arm64" : "linux-x64"}`;
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  files = new Map<string, Uint8Array>([
    [`/latest/${asset}`, readFileSync(binary)],
    [`/latest/SHA256SUMS`, new TextEncoder().encode(`${sha256File(binary)}  ${asset}\n`)],
    [`/latest/install.sh`, readFileSync(join(root, "installers", "install.sh"))],
    [`/latest/VERSION`, new TextEncoder().encode(version)],
  ]);
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request) => {
      const body = files.get(new URL(request.url).pathname);
      return body ? new Response(body) : new Response("not found", { status: 404 });
    },
  });
  scratch = mkdtempSync(join(tmpdir(), "fabstir-oneline-"));
  // A PATH with a shell, curl and the basic utilities a bare server has: no Node.js, no Bun.
  toolsDir = join(scratch, "bin");
  mkdirSync(toolsDir);
  for (const tool of [
    "sh",
    "curl",
    "uname",
    "mktemp",
    "chmod",
    "mv",
    "rm",
    "mkdir",
    "cat",
    "sed",
    "grep",
    "awk",
    "cut",
    "tr",
    "head",
    "sha256sum",
    "id",
    "cp",
    "ln",
    "dirname",
    "basename",
    "printf",
    "date",
    "ls",
    "env",
    "touch",
    "wc",
    "od",
    "getconf",
    "ldd",
    "readlink",
    "test",
    "expr",
    "sleep",
    "find",
    "sort",
    "tail",
    "true",
    "false",
    "hostname",
  ]) {
    for (const dir of ["/usr/bin", "/bin", "/usr/sbin"]) {
      if (existsSync(join(dir, tool))) {
        symlinkSync(join(dir, tool), join(toolsDir, tool));
        break;
      }
    }
  }
}, 120_000);

afterAll(() => {
  server?.stop(true);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// Async spawns: the release server runs in this process and must keep answering while the installer runs.
async function installLine(home: string, extra = ""): Promise<{ code: number; output: string }> {
  const base = `http://127.0.0.1:${server.port}`;
  const line = `curl -fsSL ${base}/latest/install.sh | FABSTIR_INSTALL_BASE=${base} FABSTIR_INSTALL_LAYOUT=flat sh ${extra}`;
  // Tests run as root on CI, where the script would install system-wide: keep it in this HOME, as for a user.
  const env = {
    HOME: home,
    PATH: toolsDir,
    FABSTIR_INSTALL_DIR: join(home, ".local", "bin"),
    FABSTIR_RECEIPT_DIR: join(home, ".local", "share", "fabstir-host"),
  };
  const child = Bun.spawn(["sh", "-c", line], { env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, output: stdout + stderr };
}

describe("the one-line install", () => {
  test("installs the real binary into ~/.local/bin, and it runs doctor with no Node.js or Bun on PATH", async () => {
    const home = join(scratch, "home-ok");
    mkdirSync(home);
    const install = await installLine(home);
    expect(install.output).toContain("fabstir-host");
    expect(install.code, install.output).toBe(0);
    const installed = join(home, ".local", "bin", "fabstir-host");
    expect(existsSync(installed), install.output).toBe(true);
    const doctor = Bun.spawnSync([installed, "doctor"], {
      env: { HOME: home, PATH: toolsDir, NO_COLOR: "1", FABSTIR_NO_UPDATE_CHECK: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const text = doctor.stdout.toString();
    // A bare test machine has no GPU, no node build and no wallet: doctor runs, reports them, and exits 1.
    expect(text).toContain("GPU and driver");
    expect(text).toContain("How to fix:");
    expect(doctor.exitCode).toBe(1);
    expect((await installLine(home)).output).toContain("up to date");
  });

  test("a tampered binary is refused and nothing is installed", async () => {
    const home = join(scratch, "home-tampered");
    mkdirSync(home);
    const key = [...files.keys()].find((k) => k.includes("/latest/fabstir-host-"))!;
    const original = files.get(key)!;
    const tampered = new Uint8Array(original);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0xff;
    files.set(key, tampered);
    try {
      const install = await installLine(home);
      expect(install.code).not.toBe(0);
      expect(install.output.toLowerCase()).toContain("checksum");
      expect(existsSync(join(home, ".local", "bin", "fabstir-host"))).toBe(false);
    } finally {
      files.set(key, original);
    }
  });
});
