/**
 * The project's snapshot of the live ABIs (tests/fixtures/abis) is complete, is what its README says, and, where the
 * facts folder beside the repository is present, still matches it byte for byte.
 */
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SNAPSHOT_ABI_DIR, abiSources, sharedAbiDir } from "../../helpers/live-abis.ts";

const FILES = ["ERC20.json", "HostEarnings.json", "JobMarketplaceWithModels.json", "ModelRegistry.json", "NodeRegistryWithModels.json", "ProofSystem.json"];
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("the ABI snapshot", () => {
  test("holds every contract's ABI, each listed with its SHA-256 in the README", () => {
    const readme = readFileSync(join(SNAPSHOT_ABI_DIR, "README.md"), "utf8");
    expect(
      readdirSync(SNAPSHOT_ABI_DIR)
        .filter((f) => f.endsWith(".json"))
        .sort(),
    ).toEqual(FILES);
    for (const file of FILES) {
      expect(Array.isArray(JSON.parse(readFileSync(join(SNAPSHOT_ABI_DIR, file), "utf8")))).toBe(true);
      expect(readme).toContain(`| \`${file}\` | \`${sha256(join(SNAPSHOT_ABI_DIR, file))}\` |`);
    }
  });

  test("sources: the snapshot always; the facts folder only where it exists", () => {
    expect(abiSources({ FABSTIR_SHARED_DIR: "/nonexistent-fabstir-shared" }).map((s) => s.name)).toEqual(["snapshot"]);
    expect(sharedAbiDir({ FABSTIR_SHARED_DIR: "/x" })).toBe("/x/fabstir/abis");
  });

  // Defined only where the facts folder is present: nothing to compare otherwise, and nothing is skipped.
  const shared = sharedAbiDir();
  if (existsSync(shared)) {
    test("matches the facts folder byte for byte (copy it again when this fails)", () => {
      const drift = FILES.filter((file) => !existsSync(join(shared, file)) || sha256(join(shared, file)) !== sha256(join(SNAPSHOT_ABI_DIR, file)));
      expect(drift).toEqual([]);
    });
  }
});
