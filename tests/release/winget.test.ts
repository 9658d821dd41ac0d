/**
 * The winget manifests: three YAML files that parse, carry the fields winget-pkgs validation requires (checked
 * against a hand-written subset of the 1.6.0 schemas), and point at the Windows binary with its SHA-256.
 */
import { afterAll, describe, expect, test } from "bun:test";
import Ajv from "ajv";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import semver from "semver";
import { parse } from "yaml";
import { renderWingetManifests, wingetManifestDir, WINGET_PACKAGE_ID } from "../../scripts/release/winget.ts";
import { fakeSum, runScript, sumsMap, sumsText } from "./fixtures.ts";

const BASE = "https://github.com/fabstir/fabstir-host/releases";
const work = mkdtempSync(join(tmpdir(), "fabstir-winget-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const identity = {
  PackageIdentifier: { type: "string", pattern: '^[^\\.\\s\\\\/:\\*\\?"<>\\|\\x01-\\x1f]{1,32}(\\.[^\\.\\s\\\\/:\\*\\?"<>\\|\\x01-\\x1f]{1,32}){1,7}$' },
  PackageVersion: { type: "string", pattern: '^[^\\\\/:\\*\\?"<>\\|\\x01-\\x1f]+$', maxLength: 128 },
  ManifestVersion: {
    type: "string",
    pattern:
      "^(0|[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(\\.(0|[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])){2}$",
  },
};
const required = ["PackageIdentifier", "PackageVersion", "ManifestType", "ManifestVersion"];
const SCHEMAS: Record<string, object> = {
  version: { type: "object", required: [...required, "DefaultPackageLocale"], properties: { ...identity, ManifestType: { const: "version" } } },
  installer: {
    type: "object",
    required: [...required, "Installers"],
    properties: {
      ...identity,
      ManifestType: { const: "installer" },
      InstallerType: { enum: ["msix", "msi", "appx", "exe", "zip", "inno", "nullsoft", "wix", "burn", "pwa", "portable"] },
      Commands: { type: "array", minItems: 1, items: { type: "string", minLength: 1, maxLength: 40 } },
      ReleaseDate: { type: "string", format: "date" },
      Installers: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          required: ["Architecture", "InstallerUrl", "InstallerSha256"],
          properties: {
            Architecture: { enum: ["x86", "x64", "arm", "arm64", "neutral"] },
            InstallerUrl: { type: "string", pattern: "^([Hh][Tt][Tt][Pp][Ss]?)://.+$" },
            InstallerSha256: { type: "string", pattern: "^[A-Fa-f0-9]{64}$" },
          },
        },
      },
    },
  },
  defaultLocale: {
    type: "object",
    required: [...required, "PackageLocale", "Publisher", "PackageName", "License", "ShortDescription"],
    properties: {
      ...identity,
      ManifestType: { const: "defaultLocale" },
      PackageLocale: { type: "string", pattern: "^([a-zA-Z]{2,3}|[iI]-[a-zA-Z]+|[xX]-[a-zA-Z]{1,8})(-[a-zA-Z]{1,8})*$" },
      Publisher: { type: "string", minLength: 2, maxLength: 256 },
      PackageName: { type: "string", minLength: 2, maxLength: 256 },
      License: { type: "string", minLength: 3, maxLength: 512 },
      ShortDescription: { type: "string", minLength: 3, maxLength: 256 },
      Tags: { type: "array", maxItems: 16, items: { type: "string", minLength: 1, maxLength: 40 } },
    },
  },
};

const manifests = renderWingetManifests({ version: "1.2.3", baseUrl: BASE, sums: sumsMap(), releaseDate: "2026-07-01", license: "MIT" });

describe("winget manifests", () => {
  test("are the three files winget-pkgs expects, in its folder layout", () => {
    expect(manifests.map((m) => m.fileName)).toEqual([
      "Fabstir.FabstirHost.yaml",
      "Fabstir.FabstirHost.installer.yaml",
      "Fabstir.FabstirHost.locale.en-US.yaml",
    ]);
    expect(wingetManifestDir("v1.2.3")).toBe("manifests/f/Fabstir/FabstirHost/1.2.3");
  });

  test("parse as YAML and satisfy the schema of their type", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
    for (const manifest of manifests) {
      const data = parse(manifest.content) as Record<string, any>;
      expect(data).toEqual(manifest.data);
      expect(manifest.content).toContain(`winget-manifest.${data.ManifestType}.1.6.0.schema.json`);
      const validate = ajv.compile(SCHEMAS[data.ManifestType]!);
      expect(validate(data) ? [] : validate.errors, manifest.fileName).toEqual([]);
      expect(data).toMatchObject({ PackageIdentifier: WINGET_PACKAGE_ID, PackageVersion: "1.2.3" });
      expect(semver.gte(data.ManifestVersion, "1.6.0")).toBe(true);
    }
  });

  test("install the Windows binary as a portable `fabstir-host` command", () => {
    const installer = parse(manifests[1]!.content) as Record<string, any>;
    expect(installer.InstallerType).toBe("portable");
    expect(installer.Commands).toEqual(["fabstir-host"]);
    expect(installer.ReleaseDate).toBe("2026-07-01");
    expect(installer.Installers).toEqual([
      {
        Architecture: "x64",
        InstallerUrl: `${BASE}/download/v1.2.3/fabstir-host-windows-x64.exe`,
        InstallerSha256: fakeSum("fabstir-host-windows-x64.exe").toUpperCase(),
      },
    ]);
    const locale = parse(manifests[2]!.content) as Record<string, any>;
    expect(locale.License).toBe("MIT");
    expect(locale.ReleaseNotesUrl).toBe("https://github.com/fabstir/fabstir-host/releases/tag/v1.2.3");
  });

  test("refuse a release without the Windows binary, and a malformed date", () => {
    const sums = sumsMap(["fabstir-host-linux-x64"]);
    expect(() => renderWingetManifests({ version: "1.2.3", baseUrl: BASE, sums, license: "MIT" })).toThrow(/fabstir-host-windows-x64\.exe/);
    expect(() => renderWingetManifests({ version: "1.2.3", baseUrl: BASE, sums: sumsMap(), license: "MIT", releaseDate: "July 1" })).toThrow(/YYYY-MM-DD/);
  });

  test("the CLI writes the three files", async () => {
    writeFileSync(join(work, "SHA256SUMS"), sumsText());
    const out = join(work, "winget");
    const args = ["--version", "1.2.3", "--sums", join(work, "SHA256SUMS"), "--out", out, "--license", "MIT"];
    const result = await runScript("scripts/release/winget.ts", args);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(manifests.map((m) => m.fileName).sort());
    expect(readFileSync(join(out, "Fabstir.FabstirHost.installer.yaml"), "utf8")).toBe(manifests[1]!.content.replace("ReleaseDate: 2026-07-01\n", ""));
  });
});
