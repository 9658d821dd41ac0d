import { describe, expect, test } from "bun:test";
import { runCli } from "../helpers/context.ts";
import { buildCli } from "../../src/cli/full-cli.ts";
import { CoreErrors } from "../../src/errors/codes/index.ts";

describe("the command tree", () => {
  test("--help lists every command group and exits 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const name of [
      "init",
      "config get",
      "wallet create",
      "register",
      "status",
      "pricing set",
      "node install",
      "start",
      "service install",
      "self-update",
      "version",
    ]) {
      expect(result.stdout).toContain(`fabstir-host ${name}`);
    }
  });

  test("every command has a description, details and at least one example", () => {
    const cli = buildCli();
    for (const definition of cli.definitions()) {
      expect(definition.description ?? "").not.toBe("");
      expect(definition.details ?? "").not.toBe("");
      expect((definition.examples ?? []).length).toBeGreaterThan(0);
    }
  });

  test("<command> --help prints the manual page", async () => {
    const result = await runCli(["wallet", "import", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("never from the command line");
    expect(result.stdout).toContain("Examples");
  });

  test("an unknown command suggests the nearest one, on stderr, with exit 2", async () => {
    const result = await runCli(["walet", "creat"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(CoreErrors.USAGE.code);
    expect(result.stderr).toContain("fabstir-host wallet create");
  });

  test("usage errors in --json mode use the error envelope", async () => {
    const result = await runCli(["config", "get", "--json"]);
    expect(result.code).toBe(2);
    const envelope = result.json();
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe(CoreErrors.USAGE.code);
    expect(typeof envelope.error.message).toBe("string");
  });

  test("version prints the build, and --json wraps it in the envelope", async () => {
    const text = await runCli(["version"]);
    expect(text.stdout.trim()).toBe("fabstir-host 0.0.0-test (test)");
    const json = await runCli(["version", "--json"]);
    expect(json.json()).toMatchObject({ ok: true, data: { version: "0.0.0-test", commit: "test" } });
  });

  test("operational errors exit 1 with code, message and hint, and no stack unless --verbose", async () => {
    const result = await runCli(["config", "backup"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error FH0015");
    expect(result.stderr).not.toContain("    at ");
  });

  test("--quiet keeps results but drops notes", async () => {
    const result = await runCli(["config", "path", "--quiet"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("config.json");
    expect(result.stderr).toBe("");
  });
});
