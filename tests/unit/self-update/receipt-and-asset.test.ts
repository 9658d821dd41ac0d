import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatUpdatedReceipt, parseReceipt, receiptTime, refreshReceipt } from "../../../src/self-update/receipt.ts";
import { assetCandidates, chooseAsset, detectPlatformFacts } from "../../../src/self-update/platform-asset.ts";
import { parseVersionLine } from "../../../src/self-update/download.ts";

const INSTALLER_RECEIPT = `# Written by install.sh; read by \`fabstir-host self-update\` and \`install.sh --uninstall\`.
channel=script
version=1.2.0
commit=abc123
asset=fabstir-host-linux-x64-musl
path=/home/alice/.local/bin/fabstir-host
sha256=0123
base_url=https://github.com/fabstir/fabstir-host/releases
layout=github
installed_at=2026-07-01T12:00:00Z
future_field=kept
`;

describe("install receipt", () => {
  test("reads what install.sh writes", () => {
    expect(parseReceipt(INSTALLER_RECEIPT)).toMatchObject({
      channel: "script",
      version: "1.2.0",
      commit: "abc123",
      asset: "fabstir-host-linux-x64-musl",
      path: "/home/alice/.local/bin/fabstir-host",
      baseUrl: "https://github.com/fabstir/fabstir-host/releases",
      layout: "github",
    });
  });

  test("a rewrite changes version, commit, sha256 and installed_at, and keeps every other line", () => {
    const text = formatUpdatedReceipt(parseReceipt(INSTALLER_RECEIPT), { version: "1.3.0", commit: "def", sha256: "ff", installedAt: "2026-08-01T00:00:00Z" });
    const again = parseReceipt(text);
    expect(again).toMatchObject({ version: "1.3.0", commit: "def", sha256: "ff", installedAt: "2026-08-01T00:00:00Z", asset: "fabstir-host-linux-x64-musl" });
    expect(text).toContain("future_field=kept\n");
    expect(text.split("\n").filter((l) => l.startsWith("version=")).length).toBe(1);
  });

  test("refreshReceipt only touches a receipt that names the binary, and keeps it world-readable", () => {
    const dir = mkdtempSync(join(tmpdir(), "fabstir-receipt-"));
    try {
      const path = join(dir, "install-receipt");
      writeFileSync(path, INSTALLER_RECEIPT);
      expect(refreshReceipt(path, "/somewhere/else", { version: "9.9.9", commit: null, sha256: "00" }, new Date())).toBe(false);
      expect(readFileSync(path, "utf8")).toBe(INSTALLER_RECEIPT);
      expect(
        refreshReceipt(
          path,
          "/home/alice/.local/bin/fabstir-host",
          { version: "1.3.0", commit: null, sha256: "00" },
          new Date(Date.UTC(2026, 7, 1, 1, 2, 3, 456)),
        ),
      ).toBe(true);
      expect(parseReceipt(readFileSync(path, "utf8"))).toMatchObject({ version: "1.3.0", commit: null, installedAt: "2026-08-01T01:02:03Z" });
      expect(statSync(path).mode & 0o777).toBe(0o644);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("installer time format", () => {
    expect(receiptTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 600)))).toBe("2026-01-02T03:04:05Z");
  });
});

describe("platform file", () => {
  test("the same candidates as the installer, best first", () => {
    expect(assetCandidates({ os: "linux", arch: "x64", libc: "glibc", avx2: true })).toEqual(["fabstir-host-linux-x64"]);
    expect(assetCandidates({ os: "linux", arch: "x64", libc: "glibc", avx2: false })).toEqual(["fabstir-host-linux-x64-baseline", "fabstir-host-linux-x64"]);
    expect(assetCandidates({ os: "linux", arch: "x64", libc: "musl", avx2: false })).toEqual([
      "fabstir-host-linux-x64-musl-baseline",
      "fabstir-host-linux-x64-musl",
      "fabstir-host-linux-x64-baseline",
      "fabstir-host-linux-x64",
    ]);
    expect(assetCandidates({ os: "linux", arch: "arm64", libc: "musl", avx2: true })).toEqual(["fabstir-host-linux-arm64-musl", "fabstir-host-linux-arm64"]);
    expect(assetCandidates({ os: "darwin", arch: "arm64", libc: "glibc", avx2: true })).toEqual(["fabstir-host-darwin-arm64"]);
    expect(assetCandidates({ os: "windows", arch: "x64", libc: "glibc", avx2: true })).toEqual(["fabstir-host-windows-x64.exe"]);
  });

  test("the receipt's file wins while the release has it", () => {
    const published = ["fabstir-host-linux-x64", "fabstir-host-linux-x64-baseline", "fabstir-host-linux-x64-musl"];
    const modern = { os: "linux", arch: "x64", libc: "glibc", avx2: true } as const;
    expect(chooseAsset(published, "fabstir-host-linux-x64-baseline", modern)).toBe("fabstir-host-linux-x64-baseline");
    expect(chooseAsset(published, "fabstir-host-linux-x64-musl-baseline", { ...modern, libc: "musl", avx2: false })).toBe("fabstir-host-linux-x64-musl");
    expect(chooseAsset(published, null, modern)).toBe("fabstir-host-linux-x64");
    expect(chooseAsset(published, null, null)).toBeNull();
    expect(chooseAsset(["fabstir-host-darwin-arm64"], null, modern)).toBeNull();
  });

  test("this machine is described (or null off the supported platforms)", () => {
    expect(detectPlatformFacts("freebsd", "x64")).toBeNull();
    expect(detectPlatformFacts("linux", "ia32")).toBeNull();
    expect(detectPlatformFacts("darwin", "arm64")).toEqual({ os: "darwin", arch: "arm64", libc: "glibc", avx2: true });
    expect(detectPlatformFacts("linux", "x64")?.os).toBe("linux");
  });

  test("version lines", () => {
    expect(parseVersionLine("fabstir-host 1.3.0 (abc)\n")).toEqual({ version: "1.3.0", commit: "abc" });
    expect(parseVersionLine("fabstir-host 2.0.0-rc.1")).toEqual({ version: "2.0.0-rc.1", commit: null });
    expect(parseVersionLine("bash: not found")).toBeNull();
  });
});
