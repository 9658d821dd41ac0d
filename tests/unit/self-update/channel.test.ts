import { describe, expect, test } from "bun:test";
import { detectInstallChannel, type ChannelFs } from "../../../src/self-update/channel.ts";
import { receiptCandidates } from "../../../src/self-update/receipt.ts";

/** A machine described by its files and symlinks. */
function fakeFs(files: Record<string, string>, links: Record<string, string> = {}): ChannelFs {
  return { readText: (path) => files[path] ?? null, realpath: (path) => links[path] ?? path };
}

const receipt = (path: string) => `# comment\nchannel=script\nversion=1.2.0\nasset=fabstir-host-linux-x64\npath=${path}\nsha256=ABC\n`;

describe("detectInstallChannel", () => {
  test("script: a receipt that names this binary", () => {
    const env = { HOME: "/home/alice" };
    const fs = fakeFs({ "/home/alice/.local/share/fabstir-host/install-receipt": receipt("/home/alice/.local/bin/fabstir-host") });
    const info = detectInstallChannel("/home/alice/.local/bin/fabstir-host", env, fs, { platform: "linux" });
    expect(info.channel).toBe("script");
    expect(info.receiptPath).toBe("/home/alice/.local/share/fabstir-host/install-receipt");
    expect(info.receipt).toMatchObject({ version: "1.2.0", asset: "fabstir-host-linux-x64", sha256: "abc" });
  });

  test("script: a root install's receipt, and a receipt reached through a symlink", () => {
    const fs = fakeFs(
      { "/usr/local/share/fabstir-host/install-receipt": receipt("/usr/local/bin/fabstir-host") },
      { "/usr/bin/fabstir-host": "/usr/local/bin/fabstir-host" },
    );
    expect(detectInstallChannel("/usr/local/bin/fabstir-host", { HOME: "/root" }, fs, { platform: "linux" }).channel).toBe("script");
    expect(detectInstallChannel("/usr/bin/fabstir-host", { HOME: "/root" }, fs, { platform: "linux" }).channel).toBe("script");
  });

  test("a receipt for another binary does not count", () => {
    const fs = fakeFs({ "/r/install-receipt": receipt("/opt/other/fabstir-host") });
    expect(detectInstallChannel("/home/alice/bin/fabstir-host", { FABSTIR_RECEIPT_DIR: "/r" }, fs, { platform: "linux" }).channel).toBe("unknown");
  });

  test("homebrew: Cellar paths, /opt/homebrew links, linuxbrew", () => {
    const fs = fakeFs({}, { "/opt/homebrew/bin/fabstir-host": "/opt/homebrew/Cellar/fabstir-host/1.2.0/bin/fabstir-host" });
    expect(detectInstallChannel("/opt/homebrew/bin/fabstir-host", {}, fs).channel).toBe("homebrew");
    expect(detectInstallChannel("/usr/local/Cellar/fabstir-host/1.2.0/bin/fabstir-host", {}, fakeFs({})).channel).toBe("homebrew");
    expect(detectInstallChannel("/home/linuxbrew/.linuxbrew/bin/fabstir-host", {}, fakeFs({})).channel).toBe("homebrew");
  });

  test("winget: per-user packages, links and machine-wide packages", () => {
    const paths = [
      "C:\\Users\\a\\AppData\\Local\\Microsoft\\WinGet\\Packages\\Fabstir.FabstirHost_x\\fabstir-host.exe",
      "C:\\Users\\a\\AppData\\Local\\Microsoft\\WinGet\\Links\\fabstir-host.exe",
      "C:\\Program Files\\WinGet\\Packages\\Fabstir.FabstirHost_x\\fabstir-host.exe",
    ];
    for (const path of paths) expect(detectInstallChannel(path, {}, fakeFs({}), { platform: "win32" }).channel).toBe("winget");
  });

  test("winget install-script receipt on Windows lives in LOCALAPPDATA and matches case-insensitively", () => {
    const env = { LOCALAPPDATA: "C:\\Users\\a\\AppData\\Local" };
    const [first] = receiptCandidates({ env, platform: "win32" });
    const fs = fakeFs({ [first!]: receipt("C:\\Users\\a\\AppData\\Local\\Programs\\fabstir-host\\fabstir-host.exe") });
    expect(detectInstallChannel("c:\\users\\a\\appdata\\local\\programs\\fabstir-host\\fabstir-host.exe", env, fs, { platform: "win32" }).channel).toBe(
      "script",
    );
  });

  test("source: the runtime is the executable, even a runtime installed by Homebrew", () => {
    expect(detectInstallChannel("/home/alice/.bun/bin/bun", {}, fakeFs({})).channel).toBe("source");
    expect(detectInstallChannel("/opt/homebrew/Cellar/bun/1.4.4/bin/bun", {}, fakeFs({})).channel).toBe("source");
    expect(detectInstallChannel("C:\\Users\\a\\.bun\\bin\\bun.exe", {}, fakeFs({}), { platform: "win32" }).channel).toBe("source");
  });

  test("unknown: anything else (a container image, a copied binary)", () => {
    const info = detectInstallChannel("/usr/bin/fabstir-host", { HOME: "/root" }, fakeFs({}), { platform: "linux" });
    expect(info.channel).toBe("unknown");
    expect(info.reason).toContain("no install receipt");
  });
});

describe("receiptCandidates", () => {
  test("same places as install.sh: FABSTIR_RECEIPT_DIR, XDG_DATA_HOME or ~/.local/share, then /usr/local/share", () => {
    expect(receiptCandidates({ env: { FABSTIR_RECEIPT_DIR: "/r", XDG_DATA_HOME: "/x", HOME: "/h" }, platform: "linux" })).toEqual([
      "/r/install-receipt",
      "/x/fabstir-host/install-receipt",
      "/usr/local/share/fabstir-host/install-receipt",
    ]);
    expect(receiptCandidates({ env: { HOME: "/h" }, platform: "darwin" })).toEqual([
      "/h/.local/share/fabstir-host/install-receipt",
      "/usr/local/share/fabstir-host/install-receipt",
    ]);
  });
});
