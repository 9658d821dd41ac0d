/**
 * Every command of the command tree, every text flag and every positional given a pasted key or recovery phrase
 * (generated from the tree `buildCli()` registers, so a new flag is covered the day it is added), through the
 * compiled binary: nothing written (stdout, stderr, logs/, config, backups) repeats it. Commands that start
 * long-running or system-wide work (start, restart, stop, self-update, service) are left out; their flags take
 * numbers, files or enums that other commands share. All endpoints point at a closed loopback port.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compiledBinary } from "../helpers/binary.ts";
import { buildCli } from "../../src/cli/full-cli.ts";

const KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const NEEDLES = [KEY.slice(2).toLowerCase(), "legal winner thank year", "sausage worth useful"];
const LEFT_OUT = [/^(start|restart|stop|self-update)\b/, /^service\b/, /^logs export\b/];
const CLOSED = "http://127.0.0.1:9";

let binary: string;
let scratch: string;
let home: string;

beforeAll(async () => {
  const built = await compiledBinary();
  scratch = mkdtempSync(join(tmpdir(), "fabstir-sweep-"));
  binary = join(scratch, "fabstir-host");
  copyFileSync(built, binary);
  Bun.spawnSync(["chmod", "+x", binary]);
  home = join(scratch, "state");
}, 300_000);

function run(args: string[]): string[] {
  const result = Bun.spawnSync([binary, ...args, "--config-dir", home], {
    cwd: scratch,
    env: { PATH: "/usr/bin:/bin", HOME: scratch, NO_COLOR: "1", FABSTIR_NO_UPDATE_CHECK: "1", HTTP_PROXY: CLOSED, HTTPS_PROXY: CLOSED },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
    timeout: 30_000,
  });
  return [result.stdout.toString(), result.stderr.toString()];
}

/** Command lines: each text flag, then each positional, given `secret`; other positionals get a plain word. */
function commandLines(secret: string): string[][] {
  const lines: string[][] = [];
  for (const definition of buildCli().definitions()) {
    const path = definition.path.split(" ").slice(1);
    if (path.length === 0 || LEFT_OUT.some((pattern) => pattern.test(path.join(" ")))) continue;
    const positionals = [...definition.usage.matchAll(/[<[]([^>\]]+)[>\]]/g)].map((m) => m[1]!).filter((name) => !name.startsWith("-"));
    const filler = positionals.map(() => "word");
    for (const option of definition.options) {
      const flag = /^(--[\w-]+)(?:,-\w)? #0$/.exec(option.definition)?.[1];
      if (flag) lines.push([...path, ...filler, flag, secret]);
    }
    positionals.forEach((_, index) => lines.push([...path, ...filler.map((word, i) => (i === index ? secret : word))]));
  }
  return lines;
}

function readTree(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return readTree(path);
    const bytes = readFileSync(path);
    return [name.endsWith(".gz") ? gunzipSync(bytes).toString() : bytes.toString()];
  });
}

const leaks = (texts: string[]) => texts.filter((text) => NEEDLES.some((needle) => text.toLowerCase().includes(needle)));

describe("every command and text flag, given a pasted secret", () => {
  test("repeats it nowhere: output, logs, config", () => {
    for (const [key, value] of [
      ["network", "local"],
      ["rpcUrls", CLOSED],
      ["node.manifestUrl", `${CLOSED}/manifest.json`],
      ["modelHost.baseUrl", CLOSED],
      ["updates.check", "false"],
    ]) {
      run(["config", "set", key!, value!]);
    }
    const outputs: string[] = [];
    const keyLines = commandLines(KEY);
    expect(keyLines.length).toBeGreaterThan(60); // the whole tree, not a sample
    for (const args of keyLines) outputs.push(...run(args));
    for (const args of commandLines(MNEMONIC)) outputs.push(...run([...args, "--json"]));
    const logs = readTree(join(home, "logs"));
    expect(logs.length).toBeGreaterThan(0);
    expect(leaks(outputs)).toEqual([]);
    expect(leaks(logs)).toEqual([]);
    expect(leaks(readTree(home))).toEqual([]);
  }, 600_000);
});
