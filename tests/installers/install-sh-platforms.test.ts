/**
 * install.sh picks the build that fits the machine: OS and architecture, musl, CPUs without AVX2 (the baseline build
 * where a release has one), Rosetta 2 on macOS; and it refuses unsupported machines before downloading anything.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ALL_UNIX_ASSETS, makeRelease, startReleaseServer, type ReleaseServer } from "./fake-release.ts";
import { Sandbox, parseReceipt, shells } from "./sandbox.ts";

let server: ReleaseServer;
const sandboxes: Sandbox[] = [];
const dash = shells()[1]!.argv;

beforeAll(() => {
  // 1.3.0 publishes every build; 1.2.3 has neither the baseline nor the musl builds.
  const plainOnly = ALL_UNIX_ASSETS.filter((asset) => !asset.includes("baseline") && !asset.includes("musl"));
  server = startReleaseServer([makeRelease("1.2.3", plainOnly), makeRelease("1.3.0", ALL_UNIX_ASSETS)], "1.3.0");
});

afterAll(() => {
  server?.stop();
  for (const box of sandboxes) box.dispose();
});

async function installOn(machine: Record<string, string>, args: string[] = []) {
  const box = new Sandbox();
  sandboxes.push(box);
  const result = await box.run(dash, args, { ...box.baseEnv(server.url), ...machine });
  expect(result.code, result.output).toBe(0);
  return { result, receipt: parseReceipt(readFileSync(box.receipt, "utf8")) };
}

describe("install.sh platform choice", () => {
  test.each([
    [{}, "fabstir-host-linux-x64"],
    [{ FABSTIR_INSTALL_UNAME_M: "amd64" }, "fabstir-host-linux-x64"],
    [{ FABSTIR_INSTALL_UNAME_M: "aarch64" }, "fabstir-host-linux-arm64"],
    [{ FABSTIR_INSTALL_CPU_FLAGS: "fpu sse4_2 avx" }, "fabstir-host-linux-x64-baseline"],
    [{ FABSTIR_INSTALL_LIBC: "musl" }, "fabstir-host-linux-x64-musl"],
    [{ FABSTIR_INSTALL_LIBC: "musl", FABSTIR_INSTALL_UNAME_M: "aarch64" }, "fabstir-host-linux-arm64-musl"],
    [{ FABSTIR_INSTALL_UNAME_S: "Darwin", FABSTIR_INSTALL_UNAME_M: "arm64" }, "fabstir-host-darwin-arm64"],
    [{ FABSTIR_INSTALL_UNAME_S: "Darwin", FABSTIR_INSTALL_ROSETTA: "0" }, "fabstir-host-darwin-x64"],
  ])("%j installs %s", async (machine, asset) => {
    const { receipt } = await installOn(machine);
    expect(receipt.asset).toBe(asset);
  });

  test("prefers the native arm64 build under Rosetta 2", async () => {
    const { result, receipt } = await installOn({ FABSTIR_INSTALL_UNAME_S: "Darwin", FABSTIR_INSTALL_ROSETTA: "1" });
    expect(receipt.asset).toBe("fabstir-host-darwin-arm64");
    expect(result.stdout).toContain("Rosetta 2 detected");
  });

  test("falls back to the standard build with a warning when a release has no baseline or musl build", async () => {
    const noAvx2 = await installOn({ FABSTIR_INSTALL_CPU_FLAGS: "fpu sse4_2" }, ["--version", "1.2.3"]);
    expect(noAvx2.receipt.asset).toBe("fabstir-host-linux-x64");
    expect(noAvx2.result.stderr).toContain("lacks AVX2");
    const musl = await installOn({ FABSTIR_INSTALL_LIBC: "musl" }, ["--version", "1.2.3"]);
    expect(musl.receipt.asset).toBe("fabstir-host-linux-x64");
    expect(musl.result.stderr).toContain("gcompat");
  });

  test.each([
    [{ FABSTIR_INSTALL_UNAME_M: "mips" }, "unsupported architecture: mips"],
    [{ FABSTIR_INSTALL_UNAME_M: "armv7l" }, "unsupported architecture: armv7l"],
    [{ FABSTIR_INSTALL_UNAME_S: "FreeBSD" }, "unsupported operating system: FreeBSD"],
    [{ FABSTIR_INSTALL_UNAME_S: "MINGW64_NT-10.0" }, "use install.ps1"],
  ])("%j is refused clearly, before any download", async (machine, message) => {
    const box = new Sandbox();
    sandboxes.push(box);
    const before = server.requests.length;
    const result = await box.run(dash, [], { ...box.baseEnv(server.url), ...machine });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(server.requests.length).toBe(before);
  });
});
