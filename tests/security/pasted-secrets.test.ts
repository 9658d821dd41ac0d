/**
 * A key or recovery phrase pasted into the wrong argument, through the compiled binary: nothing it writes (stdout,
 * stderr, logs/, config.json, the `logs export` bundle) may repeat it, in text or --json. Before, `config set
 * publicUrl <key>` and `withdraw --to <key>` echoed it in the error, in logs/cli.log with a stack trace, and in the
 * bundle that says secrets are redacted.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compiledBinary } from "../helpers/binary.ts";
import { CoreErrors } from "../../src/errors/codes/index.ts";

// A well-known test key (ethers' docs) and the BIP-39 test vector phrase: no funds, never used anywhere real.
const KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const NEEDLES = [KEY.slice(2).toLowerCase(), "legal winner thank year", "sausage worth useful"];

let binary: string;
let scratch: string;
const outputs: string[] = [];

beforeAll(async () => {
  const built = await compiledBinary();
  scratch = mkdtempSync(join(tmpdir(), "fabstir-pasted-"));
  binary = join(scratch, "fabstir-host");
  copyFileSync(built, binary);
  Bun.spawnSync(["chmod", "+x", binary]);
}, 300_000);

const home = () => join(scratch, "state");
function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = Bun.spawnSync([binary, ...args, "--config-dir", home()], {
    cwd: scratch,
    env: { PATH: "/usr/bin:/bin", HOME: scratch, NO_COLOR: "1", FABSTIR_NO_UPDATE_CHECK: "1" },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const out = { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
  outputs.push(out.stdout, out.stderr);
  return out;
}

/** Every command and flag that takes text, each given the key with and without 0x, and the phrase. */
function pastes(secret: string): string[][] {
  return [
    ["config", "set", "publicUrl", secret],
    ["config", "set", "host.location", secret],
    ["config", "set", "rpcUrls", secret],
    ["config", "set", "alerts.telegramChatId", secret],
    ["config", "set", "node.extraEnv", JSON.stringify({ SIM_NOTE: secret })],
    ["config", "set", "deploymentFile", secret],
    ["config", "get", secret],
    ["config", "restore", secret],
    ["withdraw", "--to", secret, "--yes"],
    ["stake", "add", secret],
    ["update", "url", secret],
    ["update", "models", secret],
    ["models", "download", secret],
    ["node", "use", secret],
    ["node", "install", secret],
    ["logs", "--session", secret],
    ["init", "--yes", "--public-url", secret, "--network", "local"],
    ["init", "--yes", "--location", secret, "--network", "local"],
    ["wallet", "import", secret],
    [`--definitely-not-a-flag=${secret}`],
  ];
}

function readTree(dir: string): string[] {
  const texts: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) texts.push(...readTree(path));
    else {
      const bytes = readFileSync(path);
      texts.push(name.endsWith(".gz") ? gunzipSync(bytes).toString() : bytes.toString());
    }
  }
  return texts;
}

function leaks(texts: string[]): string[] {
  return texts.filter((text) => NEEDLES.some((needle) => text.toLowerCase().includes(needle)));
}

describe("a key or recovery phrase pasted into the wrong place", () => {
  test("is refused without being repeated, anywhere the binary writes", () => {
    // A real config first, so that commands get past "not set up" to the argument they refuse.
    expect(run(["config", "set", "network", "local"]).code).toBe(0);
    for (const secret of [KEY, KEY.slice(2), MNEMONIC]) {
      for (const args of pastes(secret)) {
        const text = run(args);
        const json = run([...args, "--json"]);
        // Filters (logs --session) may run and find nothing; everything that would keep the value refuses it.
        if (args[0] !== "logs") {
          expect(text.code, args.join(" ")).not.toBe(0);
          expect(json.code, args.join(" ")).not.toBe(0);
        }
      }
    }
    // An RPC provider's key in the URL path: accepted, and masked in the bundle's config.json as everywhere.
    expect(run(["config", "set", "rpcUrls", "https://base-sepolia.g.alchemy.com/v2/AbCdEf0123456789xyzKEY"]).code).toBe(0);
    const bundle = join(scratch, "report.tar.gz");
    const exported = run(["logs", "export", bundle]);
    expect(exported.code).toBe(0);
    const unpacked = join(scratch, "unpacked");
    Bun.spawnSync(["mkdir", "-p", unpacked]);
    expect(Bun.spawnSync(["tar", "-xzf", bundle, "-C", unpacked]).exitCode).toBe(0);

    const logs = readTree(join(home(), "logs"));
    expect(logs.join("").length).toBeGreaterThan(0); // the refusals were logged …
    expect(leaks(outputs)).toEqual([]); // … and nothing printed, in text or JSON, repeats the secret,
    expect(leaks(logs)).toEqual([]); // nor any log line (stack traces included),
    expect(leaks(readTree(home()))).toEqual([]); // nor config.json and its backups,
    expect(leaks(readTree(unpacked))).toEqual([]); // nor the bundle.
    const bundled = readTree(unpacked).join("\n");
    expect(bundled).toContain("https://base-sepolia.g.alchemy.com/[REDACTED]");
    expect(bundled).not.toContain("AbCdEf0123456789xyzKEY");
  }, 300_000);

  test("config set names the problem and the way to import a key", () => {
    const refused = run(["config", "set", "publicUrl", KEY, "--json"]);
    expect(refused.code).toBe(2);
    const error = JSON.parse(refused.stdout).error;
    expect(error.code).toBe(CoreErrors.CONFIG_SECRET_VALUE.code);
    expect(error.hint).toContain("wallet import");
  });
});
