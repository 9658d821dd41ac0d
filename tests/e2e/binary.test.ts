/** The compiled binary, run as a user runs it: from a folder with nothing else in it. */
import { beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledBinary } from "../helpers/binary.ts";

let binary: string;
let scratch: string;

beforeAll(async () => {
  const built = await compiledBinary();
  scratch = mkdtempSync(join(tmpdir(), "fabstir-bin-"));
  binary = join(scratch, "fabstir-host");
  copyFileSync(built, binary);
  Bun.spawnSync(["chmod", "+x", binary]);
});

const run = (args: string[], env: Record<string, string> = {}) => {
  const result = Bun.spawnSync([binary, ...args], { cwd: scratch, env: { PATH: "/usr/bin:/bin", HOME: scratch, ...env }, stdout: "pipe", stderr: "pipe" });
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
};

describe("the compiled fabstir-host", () => {
  test("--version prints the baked-in version and commit", () => {
    const result = run(["--version"]);
    expect(result.code).toBe(0);
    const version = JSON.parse(readFileSync(join(import.meta.dir, "../../package.json"), "utf8")).version;
    expect(result.stdout).toMatch(new RegExp(`^fabstir-host ${version.replace(/\./g, "\\.")} \\((?!source)[\\w-]+\\)\\n$`));
  });

  test("--help is the manual, without colour in a pipe", () => {
    const result = run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("fabstir-host wallet create");
    expect(result.stdout).not.toContain("\u001b[");
  });

  test("config commands work with --config-dir and exit codes are right", () => {
    const dir = join(scratch, "state");
    expect(run(["config", "set", "publicUrl", "https://host.example.org", "--config-dir", dir]).code).toBe(0);
    const get = run(["config", "get", "publicUrl", "--json", "--config-dir", dir]);
    expect(JSON.parse(get.stdout)).toMatchObject({ ok: true, data: { value: "https://host.example.org", source: "file" } });
    expect(run(["config", "set", "node.apiPort", "nope", "--config-dir", dir]).code).toBe(2);
    expect(run(["nonsense"]).code).toBe(2);
  });
});

describe("the compiled binary's embedded keychain addon", () => {
  test("stores and reads the key in a real kernel keyring (keyctl session), from the single file", () => {
    const keyctl = Bun.spawnSync(["sh", "-c", "command -v keyctl"]).stdout.toString().trim();
    expect(keyctl, "keyctl is missing: apt-get install keyutils").not.toBe("");
    const dir = join(scratch, "keychain-state");
    const script = [
      `"${binary}" wallet create --backend keychain --config-dir "${dir}" --json`,
      `"${binary}" wallet export --insecure --yes --config-dir "${dir}" --json`,
    ].join(" && ");
    // No D-Bus here: the keychain helper falls through to keyutils, the kernel keyring of this session.
    const result = Bun.spawnSync(["keyctl", "session", "-", "sh", "-c", script], { cwd: scratch, env: { PATH: "/usr/bin:/bin", HOME: scratch, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
    const lines = result.stdout.toString().trim().split("\n");
    expect(result.exitCode, result.stderr.toString()).toBe(0);
    const created = JSON.parse(lines[0]!);
    expect(created.data.backend).toBe("keychain");
    const exported = JSON.parse(lines[1]!);
    expect(exported.data.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(JSON.stringify(exported.data)).toContain(created.data.address);
  });
});
