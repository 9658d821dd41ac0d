import { beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathsFor, type Paths } from "../../../../src/config/paths.ts";
import type { HostConfig } from "../../../../src/config/types.ts";
import { resolveConfig } from "../../../../src/config/store.ts";
import { describeNodeBinary, findInstalledBuild, listInstalledBuilds, resolveNodeBinary } from "../../../../src/node/install/installed.ts";
import { listNodeBuilds, removeNodeBuild } from "../../../../src/node/install/manage.ts";
import { NodeErrors } from "../../../../src/errors/codes/node.ts";
import { fakeBuild } from "../helpers/fake-build.ts";

let paths: Paths;
const baseConfig = (): HostConfig => resolveConfig(undefined, {}).config;
const withNode = (node: Partial<HostConfig["node"]>): HostConfig => {
  const config = baseConfig();
  config.node = { ...config.node, ...node };
  return config;
};

beforeEach(() => {
  paths = pathsFor(mkdtempSync(join(tmpdir(), "fabstir-installed-")));
  mkdirSync(paths.nodeDir, { recursive: true });
});

describe("installed builds", () => {
  test("listed newest first, faster variant first; half-finished dirs ignored", () => {
    fakeBuild(paths.nodeDir, "1.4.2", "cpu");
    fakeBuild(paths.nodeDir, "1.10.0", "cuda12");
    fakeBuild(paths.nodeDir, "1.4.2", "cuda13");
    mkdirSync(join(paths.nodeDir, ".tmp-1.11.0-cuda13-abc"));
    mkdirSync(join(paths.nodeDir, "1.11.0-cuda13")); // no meta: an interrupted copy by hand
    expect(listInstalledBuilds(paths.nodeDir).map((b) => b.id)).toEqual(["1.10.0-cuda12", "1.4.2-cuda13", "1.4.2-cpu"]);
    expect(listInstalledBuilds(join(paths.home, "absent"))).toEqual([]);
  });

  test("findInstalledBuild by id or version; ambiguity and absence are usage errors", () => {
    fakeBuild(paths.nodeDir, "1.4.2", "cpu");
    fakeBuild(paths.nodeDir, "1.4.2", "cuda13");
    fakeBuild(paths.nodeDir, "1.3.0", "cuda12");
    const builds = listInstalledBuilds(paths.nodeDir);
    expect(findInstalledBuild(builds, "1.4.2-cpu").variant).toBe("cpu");
    expect(findInstalledBuild(builds, "v1.3.0").id).toBe("1.3.0-cuda12");
    expect(() => findInstalledBuild(builds, "1.4.2")).toThrow(expect.objectContaining({ code: NodeErrors.NODE_VERSION_AMBIGUOUS.code }));
    expect(() => findInstalledBuild(builds, "9.9.9")).toThrow(expect.objectContaining({ code: NodeErrors.NODE_VERSION_NOT_INSTALLED.code }));
  });

  test("resolveNodeBinary: binaryPath wins, then node.version, then the newest", () => {
    const old = fakeBuild(paths.nodeDir, "1.3.0", "cuda12");
    const newest = fakeBuild(paths.nodeDir, "1.4.2", "cuda13");
    expect(resolveNodeBinary(paths, baseConfig())).toBe(newest);
    expect(describeNodeBinary(paths, baseConfig()).source).toBe("newest");
    expect(resolveNodeBinary(paths, withNode({ version: "1.3.0-cuda12" }))).toBe(old);
    expect(describeNodeBinary(paths, withNode({ version: "1.3.0" })).source).toBe("selected");
    const custom = join(paths.home, "my-node");
    writeFileSync(custom, "#!/bin/sh\n");
    chmodSync(custom, 0o755);
    expect(describeNodeBinary(paths, withNode({ binaryPath: custom, version: "1.3.0" }))).toMatchObject({ path: custom, source: "binaryPath", build: null });
  });

  test("resolveNodeBinary errors: nothing installed, bad binaryPath, selection gone, binary lost", () => {
    expect(() => resolveNodeBinary(paths, baseConfig())).toThrow(expect.objectContaining({ code: NodeErrors.NODE_NOT_INSTALLED.code }));
    expect(() => resolveNodeBinary(paths, withNode({ binaryPath: "/nonexistent/node" }))).toThrow(
      expect.objectContaining({ code: NodeErrors.NODE_BINARY_PATH_INVALID.code }),
    );
    fakeBuild(paths.nodeDir, "1.4.2", "cuda13", false);
    expect(() => resolveNodeBinary(paths, baseConfig())).toThrow(expect.objectContaining({ code: NodeErrors.NODE_NOT_INSTALLED.code }));
    expect(() => resolveNodeBinary(paths, withNode({ version: "2.0.0" }))).toThrow(
      expect.objectContaining({ code: NodeErrors.NODE_VERSION_NOT_INSTALLED.code }),
    );
  });

  test("removeNodeBuild refuses the build in use unless forced", async () => {
    fakeBuild(paths.nodeDir, "1.3.0", "cuda12");
    fakeBuild(paths.nodeDir, "1.4.2", "cuda13");
    const config = withNode({ version: "1.3.0-cuda12" });
    expect(listNodeBuilds(paths, config).builds.map((b) => [b.id, b.inUse])).toEqual([
      ["1.4.2-cuda13", false],
      ["1.3.0-cuda12", true],
    ]);
    await expect(removeNodeBuild(paths, config, "1.3.0")).rejects.toMatchObject({ code: NodeErrors.NODE_IN_USE.code });
    expect((await removeNodeBuild(paths, config, "1.4.2")).wasInUse).toBe(false);
    expect((await removeNodeBuild(paths, config, "1.3.0", { force: true })).wasInUse).toBe(true);
    expect(existsSync(join(paths.nodeDir, "1.3.0-cuda12"))).toBe(false);
    const listing = listNodeBuilds(paths, config);
    expect(listing.builds).toEqual([]);
    expect("error" in listing.active).toBe(true);
  });
});
