/**
 * The config group through the real commands, in-process: set, get, list with sources, path, validate, backup,
 * restore and reset. Every value round-trips through the file a person would edit.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { makeTestContext, runCli } from "../../helpers/context.ts";

describe("fabstir-host config", () => {
  test("set writes the file, get and list read it back with where it came from", async () => {
    const context = makeTestContext();
    expect((await runCli(["config", "set", "publicUrl", "https://host.example:8080"], context)).code).toBe(0);
    const got = (await runCli(["config", "get", "publicUrl", "--json"], context)).json().data;
    expect(got).toMatchObject({ key: "publicUrl", value: "https://host.example:8080", source: "file", env: "FABSTIR_PUBLIC_URL" });
    const listed = (await runCli(["config", "list", "--json"], context)).json().data as { key: string; source: string }[];
    expect(listed.find((entry) => entry.key === "publicUrl")?.source).toBe("file");
    expect(listed.find((entry) => entry.key === "rpcUrls")?.source).toBe("default");
    const path = (await runCli(["config", "path", "--json"], context)).json().data;
    expect(JSON.parse(readFileSync(path.configFile, "utf8")).publicUrl).toBe("https://host.example:8080");
  });

  test("an environment variable wins over the file, and set says so", async () => {
    const context = makeTestContext();
    context.env = { ...context.env, FABSTIR_PUBLIC_URL: "https://from-env.example" };
    const set = await runCli(["config", "set", "publicUrl", "https://host.example:8080"], context);
    expect(set.code).toBe(0);
    expect(set.stderr).toContain("FABSTIR_PUBLIC_URL is set in the environment and overrides this value");
    expect((await runCli(["config", "get", "publicUrl", "--json"], context)).json().data).toMatchObject({ value: "https://from-env.example", source: "env" });
  });

  test("validate passes a good file; a bad value is refused by set and nothing is written", async () => {
    const context = makeTestContext();
    expect((await runCli(["config", "validate", "--json"], context)).json().data).toMatchObject({ valid: true });
    const bad = await runCli(["config", "set", "tx.maxFeeGwei", "Infinity", "--json"], context);
    expect(bad.code).toBe(2);
    expect(bad.json().ok).toBe(false);
    expect((await runCli(["config", "get", "tx.maxFeeGwei", "--json"], context)).json().data).toMatchObject({ value: 5, source: "default" });
  });

  test("backup, reset and restore: the value comes back from the backup", async () => {
    const context = makeTestContext();
    await runCli(["config", "set", "publicUrl", "https://host.example:8080"], context);
    const backup = (await runCli(["config", "backup", "--json"], context)).json().data.path as string;
    const reset = await runCli(["config", "reset", "--yes", "--json"], context);
    expect(reset.code).toBe(0);
    expect((await runCli(["config", "get", "publicUrl", "--json"], context)).json().data.value).toBeNull();
    const listed = (await runCli(["config", "restore", "--list", "--json"], context)).json().data as { name: string; path: string }[];
    expect(listed.map((entry) => entry.path)).toContain(backup);
    const name = listed.find((entry) => entry.path === backup)!.name;
    expect((await runCli(["config", "restore", name], context)).code).toBe(0);
    expect((await runCli(["config", "get", "publicUrl", "--json"], context)).json().data.value).toBe("https://host.example:8080");
  });
});
