/**
 * install.ps1 cannot run here (no PowerShell), so it is linted: strings and comments terminate, brackets balance,
 * every command it calls is one it defines or a known cmdlet, it never `exit`s (it is run through `irm | iex`, where
 * exit would close the user's window), and it agrees with install.sh on names, URLs and the receipt format.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bracketProblems, commandNames, definedFunctions, stripPowerShell } from "./powershell-lint.ts";
import { INSTALL_SH, REPO_ROOT } from "./sandbox.ts";

const source = readFileSync(join(REPO_ROOT, "installers", "install.ps1"), "utf8");
const shell = readFileSync(INSTALL_SH, "utf8");
const { code, problems } = stripPowerShell(source);

const KNOWN_CMDLETS = new Set([
  "Get-Command",
  "Get-Content",
  "Get-Date",
  "Get-FileHash",
  "Get-Item",
  "Invoke-WebRequest",
  "Join-Path",
  "Move-Item",
  "New-Item",
  "New-Object",
  "Out-Null",
  "Remove-Item",
  "Set-StrictMode",
  "Split-Path",
  "Test-Path",
  "Write-Host",
  "Write-Warning",
  "ForEach-Object",
]);

describe("install.ps1", () => {
  test("reads cleanly: strings, comments and brackets all close", () => {
    expect(problems).toEqual([]);
    expect(bracketProblems(code)).toEqual([]);
  });

  test("calls only functions it defines and well-known cmdlets, and uses every function it defines", () => {
    const defined = definedFunctions(code);
    expect(new Set(defined).size).toBe(defined.length);
    const unknown = [...commandNames(code)].filter((name) => !defined.includes(name) && !KNOWN_CMDLETS.has(name));
    expect(unknown).toEqual([]);
    for (const name of defined) {
      const uses = code.split(name).length - 1;
      expect(uses, `${name} is defined but never called`).toBeGreaterThan(1);
    }
  });

  test("stops on errors, never exits, and never evaluates downloaded text", () => {
    expect(source).toMatch(/^Set-StrictMode -Version Latest$/m);
    expect(source).toMatch(/^\$ErrorActionPreference = 'Stop'$/m);
    expect(code).not.toMatch(/\bexit\b/i);
    expect(code).not.toMatch(/Invoke-Expression|\biex\b/i);
    expect(code).toMatch(/Get-FileHash -Algorithm SHA256/);
    expect(source).toMatch(/if \(\$actual -ne \$expected\) \{\s*Remove-Item -LiteralPath \$temporary -Force/);
  });

  test("agrees with install.sh on URLs, environment, receipt and messages", () => {
    expect(source).toContain("'https://github.com/fabstir/fabstir-host/releases'");
    expect(shell).toContain('"https://github.com/fabstir/fabstir-host/releases"');
    for (const name of [
      "FABSTIR_VERSION",
      "FABSTIR_INSTALL_BASE",
      "FABSTIR_INSTALL_LAYOUT",
      "FABSTIR_INSTALL_DIR",
      "FABSTIR_MINISIGN_PUBKEY",
      "FABSTIR_RECEIPT_DIR",
    ]) {
      expect(source, name).toContain(`$env:${name}`);
      expect(shell, name).toContain(name);
    }
    for (const key of ["channel=script", "version=", "commit=", "asset=", "path=", "sha256=", "base_url=", "layout=", "installed_at="]) {
      expect(source, key).toContain(key);
      expect(shell, key).toContain(key);
    }
    for (const pattern of ["/latest/download/", "/download/v", "already up to date", "checksum mismatch for", "SHA256SUMS.sig", "SHA256SUMS.asc"]) {
      expect(source, pattern).toContain(pattern);
    }
    expect(source).toContain("'fabstir-host-windows-x64.exe'");
  });

  test("with a key configured, requires the signature as install.sh does (no checksum-only fallback)", () => {
    const check = source.slice(source.indexOf("function Test-Signature"), source.indexOf("function Show-PathHint"));
    const withKey = check.slice(check.indexOf("if ($Pubkey)"), check.indexOf("return", check.indexOf("if ($Pubkey)")));
    // Each refusal install.sh makes with a key, in the same words, before any fallback is reached.
    for (const refusal of ["no SHA256SUMS.sig is published", "minisign is not installed", "does not verify"]) {
      expect(withKey, refusal).toMatch(new RegExp(`Stop-Install [^\n]*${refusal}`));
      expect(shell, refusal).toContain(refusal);
    }
  });

  test("keeps the line the release workflow stamps the signing key into", () => {
    expect(source).toMatch(/^\$DefaultMinisignPubkey = ''$/m);
    expect(shell).toMatch(/^DEFAULT_MINISIGN_PUBKEY=""$/m);
  });

  test("documents every parameter in its usage text", () => {
    const params = [...source.matchAll(/^\s*\[(?:string|switch)\]\$(\w+)/gim)].map((match) => match[1]!);
    expect(params).toEqual(["Version", "BaseUrl", "Layout", "Prefix", "Uninstall", "Help"]);
    const usage = source.slice(source.indexOf("Usage: install.ps1"));
    for (const name of params) expect(usage, name).toContain(`-${name}`);
  });
});
