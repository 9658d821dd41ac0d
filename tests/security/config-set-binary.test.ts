/**
 * The careless-operator findings through the compiled binary: a value `config set` took and then broke every command
 * (1e309 written as null → FH0011 everywhere; 1e30 gwei → FH0002 in `stake add`), values the commands refuse, an RPC
 * key shown by `config list`, and a public metrics address taken without a word.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledBinary } from "../helpers/binary.ts";
import { CoreErrors } from "../../src/errors/codes/index.ts";

let binary: string;
let scratch: string;

beforeAll(async () => {
  const built = await compiledBinary();
  scratch = mkdtempSync(join(tmpdir(), "fabstir-config-set-"));
  binary = join(scratch, "fabstir-host");
  copyFileSync(built, binary);
  Bun.spawnSync(["chmod", "+x", binary]);
}, 300_000);

function run(home: string, args: string[]) {
  const result = Bun.spawnSync([binary, ...args, "--json", "--config-dir", home], {
    cwd: scratch,
    env: { PATH: "/usr/bin:/bin", HOME: scratch, NO_COLOR: "1", FABSTIR_NO_UPDATE_CHECK: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: result.exitCode, body: JSON.parse(result.stdout.toString() || "{}") };
}

function freshHome(): string {
  const home = join(mkdtempSync(join(scratch, "home-")), "state");
  expect(run(home, ["config", "set", "network", "local"]).code).toBe(0);
  return home;
}

describe("config set through the binary", () => {
  test("1e309, Infinity and 1e30 gwei are refused (exit 2, FH0011), nothing is written, and every command still works", () => {
    const home = freshHome();
    const before = readFileSync(join(home, "config.json"), "utf8");
    for (const value of ["1e309", "Infinity", "1e30", "0"]) {
      const set = run(home, ["config", "set", "tx.maxFeeGwei", value]);
      expect(set.code, value).toBe(2);
      expect(set.body.error.code).toBe(CoreErrors.CONFIG_INVALID.code);
    }
    expect(readFileSync(join(home, "config.json"), "utf8")).toBe(before);
    const validate = run(home, ["config", "validate"]);
    expect(validate.code).toBe(0);
    expect(validate.body.data.valid).toBe(true);
    expect(run(home, ["config", "get", "tx.maxFeeGwei"]).body.data.value).toBe(5);
  });

  test("values the commands refuse are refused here too, with the reason", () => {
    const home = freshHome();
    const cases: [string, string, string][] = [
      ["publicUrl", "http://user:pass@host.example.org", "credentials"],
      ["publicUrl", "http://[::1", "not a URL"],
      ["publicUrl", "http://host.example.org:99999", "not a URL"],
      ["models", "../../x:y.gguf", "owner/repository:file"],
      ["contracts.fabToken", "0xfab5f5b8f3a0c5c1e3c9d3a6b1e9f8e7d6c5b4a3", "not checksummed"],
      ["contracts.fabToken", "0x0000000000000000000000000000000000000000", "zero address"],
      ["node.extraEnv", '{"LD_PRELOAD":"/tmp/x.so"}', "loader variable"],
      ["node.extraEnv", '{"HOST_PRIVATE_KEY":"abc"}', "key store"],
      ["prices", '{"*":{"eth":" 5"}}', "not valid"],
    ];
    for (const [key, value, reason] of cases) {
      const set = run(home, ["config", "set", key, value]);
      expect(set.code, `${key} ${value}`).toBe(2);
      expect(set.body.error.message, `${key} ${value}`).toContain(reason);
    }
    expect(readFileSync(join(home, "config.json"), "utf8")).not.toContain("user:pass");
  });

  test("config list shows where an RPC URL points, never its key", () => {
    const home = freshHome();
    expect(run(home, ["config", "set", "rpcUrls", "https://base-sepolia.g.alchemy.com/v2/AbCdEf0123456789xyzKEY"]).code).toBe(0);
    const list = run(home, ["config", "list"]);
    expect(JSON.stringify(list.body)).not.toContain("AbCdEf0123456789xyzKEY");
    expect(list.body.data.find((e: { key: string }) => e.key === "rpcUrls").value).toEqual(["https://base-sepolia.g.alchemy.com/[REDACTED]"]);
  });

  test("metrics.listen on a public address asks for --yes and says what it exposes", () => {
    const home = freshHome();
    const asked = run(home, ["config", "set", "metrics.listen", "0.0.0.0:9464"]);
    expect(asked.code).toBe(2);
    expect(asked.body.error).toMatchObject({ code: CoreErrors.CONFIG_EXPOSES.code, message: expect.stringContaining("balances") });
    expect(run(home, ["config", "set", "metrics.listen", "0.0.0.0:9464", "--yes"]).code).toBe(0);
  });
});
