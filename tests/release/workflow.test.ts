/**
 * The release workflow: runs on version tags, builds and smoke-tests the binaries, signs SHA256SUMS when a key is
 * configured, publishes the release, the tap formula and the winget pull request; secrets only ever reach a step
 * through its environment (or an action's inputs), never a command line.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "./fixtures.ts";

const text = readFileSync(join(REPO_ROOT, ".github", "workflows", "release.yml"), "utf8");
const workflow = parse(text);
const jobs: Record<string, any> = workflow.jobs;
const steps = (job: string): any[] => jobs[job].steps;
const scripts = (job: string): string =>
  steps(job)
    .map((step) => step.run ?? "")
    .join("\n");

describe("release workflow", () => {
  test("runs on v* tags with read-only default permissions", () => {
    expect(workflow.on).toEqual({ push: { tags: ["v*"] } });
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(jobs.publish.permissions).toEqual({ contents: "write" });
  });

  test("build: installs, embeds every platform's addons, tests, builds, smoke-tests and signs", () => {
    const build = scripts("build");
    const order = [
      "bun install --frozen-lockfile",
      "bun install --frozen-lockfile --os='*' --cpu='*'",
      "bun test tests/installers tests/release",
      "bun run build",
      "./dist/fabstir-host-linux-x64 --version",
      "./dist/fabstir-host-linux-x64 --help",
      "sha256sum --check --strict SHA256SUMS",
      "minisign -S",
      "bun scripts/release/stamp-installers.ts",
      "bun scripts/release/homebrew.ts",
      "ruby -c packaging/fabstir-host.rb",
      "bun scripts/release/winget.ts",
      "bun scripts/release/notes.ts",
    ];
    const positions = order.map((snippet) => build.indexOf(snippet));
    for (const [i, position] of positions.entries()) expect(position, order[i]).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(build).toContain("shellcheck dash busybox minisign ruby");
    const sign = steps("build").find((step) => step.name === "Sign SHA256SUMS");
    expect(sign.if).toBe("env.HAS_MINISIGN_KEY == 'true'");
    expect(jobs.build.env.HAS_MINISIGN_KEY).toBe("${{ secrets.MINISIGN_KEY != '' }}");
  });

  test("smoke-tests every platform's binary and both installers before publishing", () => {
    const assets = jobs.smoke.strategy.matrix.include.map((entry: any) => entry.asset).sort();
    expect(assets).toEqual([
      "fabstir-host-darwin-arm64",
      "fabstir-host-darwin-x64",
      "fabstir-host-linux-arm64",
      "fabstir-host-linux-x64",
      "fabstir-host-windows-x64.exe",
    ]);
    expect(scripts("smoke")).toContain("sh installers/install.sh");
    expect(scripts("smoke")).toContain("-File installers/install.ps1");
    expect(jobs.publish.needs).toEqual(["build", "smoke"]);
  });

  test("publishes the GitHub release, the tap formula and the winget pull request", () => {
    expect(scripts("publish")).toContain('gh release create "$GITHUB_REF_NAME" dist/*');
    const tapCheckout = steps("homebrew").find((step) => step.uses === "actions/checkout@v4");
    expect(tapCheckout.with).toMatchObject({ repository: "fabstir/homebrew-tap", token: "${{ secrets.HOMEBREW_TAP_TOKEN }}" });
    expect(scripts("homebrew")).toContain("Formula/fabstir-host.rb");
    expect(scripts("winget")).toContain("manifests/f/Fabstir/FabstirHost/${VERSION}");
    expect(scripts("winget")).toContain("gh pr create --repo microsoft/winget-pkgs");
    for (const job of ["homebrew", "winget"]) expect(jobs[job].if).toBe("needs.build.outputs.prerelease == 'false'");
  });

  test("secrets reach steps only through env or action inputs, never a run script", () => {
    for (const [name, job] of Object.entries(jobs)) {
      for (const step of job.steps) {
        expect(String(step.run ?? ""), `${name}: ${step.name ?? step.uses}`).not.toMatch(/\$\{\{\s*(secrets\.|github\.token)/);
      }
    }
    expect(text).not.toMatch(/x-access-token:|https:\/\/[^/\s]*:\$/);
    for (const script of ["homebrew.ts", "winget.ts", "notes.ts", "stamp-installers.ts", "prepare.ts"]) {
      expect(existsSync(join(REPO_ROOT, "scripts", "release", script)), script).toBe(true);
    }
  });
});
