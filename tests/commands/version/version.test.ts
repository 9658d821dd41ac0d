/** `version`: the build's identity, in text and in the envelope, without a configuration. */
import { describe, expect, test } from "bun:test";
import { makeTestContext, runCli } from "../../helpers/context.ts";

describe("fabstir-host version", () => {
  test("prints the baked-in version and commit; --json adds the platform", async () => {
    const text = await runCli(["version"], makeTestContext());
    expect(text.stdout.trim()).toBe("fabstir-host 0.0.0-test (test)");
    const json = (await runCli(["version", "--json"], makeTestContext())).json();
    expect(json).toMatchObject({ ok: true, data: { version: "0.0.0-test", commit: "test", platform: process.platform, arch: process.arch } });
  });
});
