/**
 * The Homebrew formula: per-platform URLs and hashes from SHA256SUMS, valid Ruby, and (with a tiny stand-in for
 * Homebrew's DSL) the right binary installed as `fabstir-host` on each of the four platforms.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderFormula } from "../../scripts/release/homebrew.ts";
import { parseSha256Sums, releaseAssetUrl } from "../../scripts/release/release-files.ts";
import { fakeSum, runScript, sumsMap, sumsText } from "./fixtures.ts";

const BASE = "https://github.com/fabstir/fabstir-host/releases";
const work = mkdtempSync(join(tmpdir(), "fabstir-brew-"));
const ruby = Bun.which("ruby");
const formula = renderFormula({ version: "v1.2.3", baseUrl: `${BASE}/`, sums: sumsMap() });

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Loads the formula under a minimal imitation of Homebrew's DSL for one platform and reports what it would do. */
const HARNESS = `
require "json"
OS_NAME, CPU = ARGV[1], ARGV[2]
module OS; def self.mac? = OS_NAME == "mac"; def self.linux? = OS_NAME == "linux"; end
module Hardware; module CPU; def self.arm? = ::CPU == "arm"; def self.intel? = ::CPU == "intel"; end; end
Spec = Struct.new(:url, :sha256)
class Formula
  @@spec = Spec.new
  @@tests = []
  def self.desc(v) = nil
  def self.homepage(v) = nil
  def self.license(v) = nil
  def self.version(v = nil) = v ? (@@version = v) : @@version
  def self.livecheck(&b) = nil
  def self.on_macos = (yield if OS_NAME == "mac")
  def self.on_linux = (yield if OS_NAME == "linux")
  def self.on_arm = (yield if CPU == "arm")
  def self.on_intel = (yield if CPU == "intel")
  def self.url(v) = @@spec.url = v
  def self.sha256(v) = @@spec.sha256 = v
  def self.test(&b) = @@tests << b
  def stable = @@spec
  def version = @@version
  def bin = (@bin ||= Bin.new)
  def shell_output(cmd) = "fabstir-host #{@@version} (abc123)\\n"
  def assert_match(expected, actual) = (raise "no match" unless actual.include?(expected))
  def self.report(formula)
    formula.install
    formula.instance_eval(&@@tests.first)
    puts JSON.generate(url: @@spec.url, sha256: @@spec.sha256, installed: formula.bin.installed)
  end
end
class Bin; attr_reader :installed; def install(h) = (@installed = h); def to_s = "/opt/bin"; end
load ARGV[0]
Formula.report(FabstirHost.new)
`;

describe("renderFormula", () => {
  test("names the version, each platform's URL and SHA-256, install and test", () => {
    expect(formula).toContain("class FabstirHost < Formula");
    expect(formula).toContain('version "1.2.3"');
    expect(formula).toContain(`url "${BASE}/download/v1.2.3/fabstir-host-darwin-arm64"`);
    expect(formula).toContain(`sha256 "${fakeSum("fabstir-host-linux-x64")}"`);
    expect(formula).toMatch(/on_macos do\s+on_arm do\s+url "[^"]+darwin-arm64"[\s\S]+on_intel do\s+url "[^"]+darwin-x64"/);
    expect(formula).toMatch(/on_linux do\s+on_arm do\s+url "[^"]+linux-arm64"[\s\S]+on_intel do\s+url "[^"]+linux-x64"/);
    expect(formula).toContain('bin.install File.basename(stable.url) => "fabstir-host"');
    expect(formula).toContain('shell_output("#{bin}/fabstir-host --version")');
    expect(formula).not.toContain("license");
    expect(renderFormula({ version: "1.2.3", baseUrl: BASE, sums: sumsMap(), license: "MIT" })).toContain('license "MIT"');
  });

  test("refuses a SHA256SUMS without a platform's binary, and a bad version", () => {
    const sums = sumsMap(["fabstir-host-linux-x64", "fabstir-host-darwin-x64"]);
    expect(() => renderFormula({ version: "1.2.3", baseUrl: BASE, sums })).toThrow(/no entry for fabstir-host-darwin-arm64/);
    expect(() => renderFormula({ version: "1.2", baseUrl: BASE, sums: sumsMap() })).toThrow(/not a version/);
  });

  test("parseSha256Sums reads sha256sum output, binary-mode stars included, and rejects garbage", () => {
    const sums = parseSha256Sums(`${fakeSum("a").toUpperCase()}  a\n${fakeSum("b")} *b\n\n`);
    expect([...sums]).toEqual([
      ["a", fakeSum("a")],
      ["b", fakeSum("b")],
    ]);
    expect(() => parseSha256Sums("nothex  file\n")).toThrow(/line 1/);
    expect(releaseAssetUrl(`${BASE}//`, "v2.0.0", "x")).toBe(`${BASE}/download/v2.0.0/x`);
  });

  test.skipIf(!ruby)("is valid Ruby and installs the right binary on every platform", async () => {
    const formulaFile = join(work, "fabstir-host.rb");
    const harnessFile = join(work, "harness.rb");
    writeFileSync(formulaFile, formula);
    writeFileSync(harnessFile, HARNESS);
    const syntax = Bun.spawnSync([ruby!, "-c", formulaFile], { stderr: "pipe" });
    expect(syntax.exitCode, syntax.stderr.toString()).toBe(0);
    for (const [os, cpu, asset] of [
      ["mac", "arm", "fabstir-host-darwin-arm64"],
      ["mac", "intel", "fabstir-host-darwin-x64"],
      ["linux", "arm", "fabstir-host-linux-arm64"],
      ["linux", "intel", "fabstir-host-linux-x64"],
    ] as const) {
      const run = Bun.spawnSync([ruby!, harnessFile, formulaFile, os, cpu], { stdout: "pipe", stderr: "pipe" });
      expect(run.exitCode, run.stderr.toString()).toBe(0);
      expect(JSON.parse(run.stdout.toString())).toEqual({
        url: releaseAssetUrl(BASE, "1.2.3", asset),
        sha256: fakeSum(asset),
        installed: { [asset]: "fabstir-host" },
      });
    }
  });

  test("the CLI writes the formula from a SHA256SUMS file", async () => {
    writeFileSync(join(work, "SHA256SUMS"), sumsText());
    const out = join(work, "cli.rb");
    const result = await runScript("scripts/release/homebrew.ts", ["--version", "1.2.3", "--sums", join(work, "SHA256SUMS"), "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(renderFormula({ version: "1.2.3", baseUrl: BASE, sums: sumsMap() }));
    const missing = await runScript("scripts/release/homebrew.ts", ["--sums", join(work, "SHA256SUMS")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("usage:");
  });
});
