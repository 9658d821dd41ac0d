/**
 * Config values follow the rules the commands apply (one schema, src/config/rules.ts), and a refused `config set`
 * never writes. Each case is one an operator or an attacker reached before: a value that passed `config set` and then
 * broke every command (Infinity written as null, 1e30 gwei), or one the commands themselves would refuse.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathsFor } from "../../../src/config/paths.ts";
import { listSettings, setSetting, validateConfig } from "../../../src/config/service.ts";
import { loadConfig } from "../../../src/config/store.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import type { HostContext } from "../../../src/context.ts";
import { CoreErrors } from "../../../src/errors/codes/index.ts";

function fresh(): HostContext {
  const paths = pathsFor(join(mkdtempSync(join(tmpdir(), "cfg-strict-")), "home"));
  mkdirSync(paths.home, { recursive: true });
  writeFileSync(paths.configFile, JSON.stringify({ version: 1, network: "local" }, null, 2) + "\n");
  return { paths, env: {} } as unknown as HostContext;
}

async function refusal(context: HostContext, key: string, value: string, options?: { yes?: boolean }): Promise<HostError> {
  const before = readFileSync(context.paths.configFile, "utf8");
  const error = await setSetting(context, key, value, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${key} ${value} was accepted`).toBeInstanceOf(HostError);
  // A failed set never writes: neither the file nor a backup of it.
  expect(readFileSync(context.paths.configFile, "utf8")).toBe(before);
  expect(existsSync(context.paths.backupsDir) ? readdirSync(context.paths.backupsDir) : []).toEqual([]);
  return error as HostError;
}

const CASES: [key: string, value: string, why: string][] = [
  ["tx.maxFeeGwei", "1e309", "Infinity is written as null, then every command fails"],
  ["tx.maxFeeGwei", "Infinity", "not a finite number"],
  ["tx.maxFeeGwei", "1e30", "stake add fails later with an invalid FixedNumber"],
  ["tx.maxFeeGwei", "0", "nothing could be mined"],
  ["tx.maxFeeGwei", "0.0000000001", "below one wei"],
  ["tx.maxFeeGwei", " 5", "padded"],
  ["node.apiPort", " 8080", "padded"],
  ["publicUrl", "http://user:pass@host.example.org", "credentials in the URL"],
  ["publicUrl", "http://[::1", "unclosed bracket"],
  ["publicUrl", "http://host.example.org:99999", "port out of range"],
  ["publicUrl", "ftp://host.example.org", "not http(s)"],
  ["rpcUrls", "https://key:secret@rpc.example.org", "credentials in an RPC URL"],
  ["alerts.webhookUrl", "https://u:p@hooks.example.org/x", "credentials in a webhook"],
  ["models", "../../x:y.gguf", "climbs out of the models directory"],
  ["models", "org/repo:../y.gguf", "climbs out through the file name"],
  ["contracts.fabToken", "0x0000000000000000000000000000000000000000", "zero address"],
  ["contracts.fabToken", "0xfab5f5b8f3a0c5c1e3c9d3a6b1e9f8e7d6c5b4a3", "lowercase, not checksummed"],
  ["node.extraEnv", '{"LD_PRELOAD":"/tmp/x.so"}', "loader variable"],
  ["node.extraEnv", '{"DYLD_INSERT_LIBRARIES":"/tmp/x.dylib"}', "loader variable (macOS)"],
  ["node.extraEnv", '{"HOST_PRIVATE_KEY":"abc"}', "a secret in the node's environment"],
  ["prices", '{"*":{"eth":" 5"}}', "a leading space in a price"],
  ["prices", '{" *":{"eth":"5"}}', "a padded model key"],
  ["deploymentFile", "../../etc/deployment.json", "path traversal"],
  ["node.modelPath", "/models/../../etc/passwd", "path traversal"],
];

describe("config set refuses what the commands would refuse, and writes nothing", () => {
  for (const [key, value, why] of CASES) {
    test(`${key} ${JSON.stringify(value)}: ${why}`, async () => {
      const error = await refusal(fresh(), key, value);
      expect(error.code).toBe(CoreErrors.CONFIG_INVALID.code);
      expect(error.exitCode).toBe(2);
    });
  }

  test("credentials in a URL: the hint says where they belong, the message does not repeat them", async () => {
    const error = await refusal(fresh(), "rpcUrls", "https://alice:hunter2secret@rpc.example.org");
    expect(error.message).not.toContain("hunter2secret");
    expect(error.hint).toContain("secret file");
  });

  test("a lowercase address: the hint gives the checksummed form", async () => {
    const error = await refusal(fresh(), "contracts.fabToken", "0xfab5f5b8f3a0c5c1e3c9d3a6b1e9f8e7d6c5b4a3");
    expect(error.hint).toContain("0xfaB5F5B8f3a0C5C1e3c9D3A6B1e9F8e7d6C5b4a3");
  });

  test("good values still pass and read back as written", async () => {
    const context = fresh();
    await setSetting(context, "tx.maxFeeGwei", "0.5");
    await setSetting(context, "contracts.fabToken", "0xfaB5F5B8f3a0C5C1e3c9D3A6B1e9F8e7d6C5b4a3");
    await setSetting(context, "publicUrl", "https://[2001:db8::1]:8443/api");
    await setSetting(context, "models", "CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf");
    await setSetting(context, "node.extraEnv", '{"RUST_BACKTRACE":"1"}');
    const { config } = await loadConfig(context);
    expect(config.tx.maxFeeGwei).toBe(0.5);
    expect(config.publicUrl).toBe("https://[2001:db8::1]:8443/api");
  });
});

describe("addresses already in a config file", () => {
  test("the all-lowercase form still loads (older files); a wrong mixed-case checksum or the zero address does not", async () => {
    const context = fresh();
    const write = (fabToken: string) => writeFileSync(context.paths.configFile, JSON.stringify({ version: 1, network: "local", contracts: { fabToken } }));
    write("0xfab5f5b8f3a0c5c1e3c9d3a6b1e9f8e7d6c5b4a3");
    expect((await loadConfig(context)).config.contracts.fabToken).toBe("0xfab5f5b8f3a0c5c1e3c9d3a6b1e9f8e7d6c5b4a3");
    write("0xfaB5F5B8f3a0C5C1e3c9D3A6B1e9F8e7d6C5b4A3");
    await expect(loadConfig(context)).rejects.toMatchObject({ code: CoreErrors.CONFIG_INVALID.code, message: expect.stringContaining("wrong checksum") });
    write("0x0000000000000000000000000000000000000000");
    await expect(loadConfig(context)).rejects.toMatchObject({ code: CoreErrors.CONFIG_INVALID.code, message: expect.stringContaining("zero address") });
  });
});

describe("metrics.listen beyond loopback", () => {
  test("asks for --yes and says what it exposes", async () => {
    const error = await refusal(fresh(), "metrics.listen", "0.0.0.0:9464");
    expect(error.code).toBe(CoreErrors.CONFIG_EXPOSES.code);
    expect(error.message).toContain("balances");
    expect(error.hint).toContain("--yes");
  });

  test("written to the file by hand, config validate warns about it", async () => {
    const context = fresh();
    writeFileSync(context.paths.configFile, JSON.stringify({ version: 1, network: "local", metrics: { listen: "0.0.0.0:9464" } }));
    const report = await validateConfig(context);
    expect(report.warnings.join("\n")).toContain("metrics.listen 0.0.0.0:9464 serves /metrics");
  });

  test("is taken with yes; loopback never asks", async () => {
    const context = fresh();
    await setSetting(context, "metrics.listen", "127.0.0.1:9465");
    await setSetting(context, "metrics.listen", "[::1]:9466");
    await setSetting(context, "metrics.listen", "0.0.0.0:9464", { yes: true });
    expect((await loadConfig(context)).config.metrics.listen).toBe("0.0.0.0:9464");
  });
});

describe("config list masks what authenticates a URL", () => {
  test("an RPC key in the path and a webhook token never show", async () => {
    const context = fresh();
    await setSetting(context, "rpcUrls", "https://base-sepolia.g.alchemy.com/v2/AbCdEf0123456789xyzKEY,https://sepolia.base.org");
    await setSetting(context, "alerts.webhookUrl", "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX");
    const entries = await listSettings(context);
    const shown = JSON.stringify(entries);
    expect(shown).not.toContain("AbCdEf0123456789xyzKEY");
    expect(shown).not.toContain("XXXXSECRETXXXX");
    expect(entries.find((e) => e.key === "rpcUrls")!.value).toEqual(["https://base-sepolia.g.alchemy.com/[REDACTED]", "https://sepolia.base.org"]);
  });

  test("the node's own API keys in node.extraEnv are allowed (no other way in) and masked when listed", async () => {
    const context = fresh();
    // fabstir-llm-node@85a87b8 src/search/config.rs:49 reads BRAVE_API_KEY from its environment.
    await setSetting(context, "node.extraEnv", '{"BRAVE_API_KEY":"BSAxyz0123456789","RUST_BACKTRACE":"1"}');
    const entry = (await listSettings(context)).find((e) => e.key === "node.extraEnv")!;
    expect(entry.value).toEqual({ BRAVE_API_KEY: "[REDACTED]", RUST_BACKTRACE: "1" });
  });

  test("a key pasted into config.json by hand is masked when listed", async () => {
    const context = fresh();
    writeFileSync(
      context.paths.configFile,
      JSON.stringify({ version: 1, network: "local", host: { location: "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318" } }),
    );
    expect(JSON.stringify(await listSettings(context))).not.toContain("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  });
});
