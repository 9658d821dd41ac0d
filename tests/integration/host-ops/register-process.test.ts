/**
 * `register` as a user runs it: a real child process (`bun src/main.ts register --yes --config-dir … --password-file …`)
 * with the key in a keystore file, against a devnet. Then the chain state, and no secret anywhere in its output or logs.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEVNET_HOOK_TIMEOUT_MS, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { chainPrice, fundedAccount, hostEnv, nodeInfo } from "../../commands/helpers/host-env.ts";

const repoRoot = join(import.meta.dir, "../../..");
const PASSWORD = "correct horse battery staple 9";
let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet();
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await devnet?.stop();
});

function runMain(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "src/main.ts"), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test("register --yes in a child process, keystore unlocked with --password-file", async () => {
  const account = await fundedAccount(devnet);
  const scratch = mkdtempSync(join(tmpdir(), "fabstir-register-proc-"));
  const passwordFile = join(scratch, "password.txt");
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  const env = await hostEnv(devnet, { account, keystorePasswordFile: passwordFile });
  expect(env.config().wallet).toEqual({ address: account.address, backend: "keystore" });

  const result = await runMain(["register", "--yes", "--json", "--config-dir", env.configDir, "--password-file", passwordFile], {
    HOME: env.home,
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    NO_COLOR: "1",
  });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
  const data = JSON.parse(result.stdout).data;
  expect(data.status).toBe("registered");
  expect(data.sent).toHaveLength(6);

  const info = await nodeInfo(env);
  expect(info.operator).toBe(account.address);
  expect(info.stake).toBe(1000n * 10n ** 18n);
  expect(JSON.parse(info.metadata).hardware.gpu).toBeString();
  for (const model of env.models) expect(await chainPrice(env, model.id, "eth")).toBe(2_000_000_000_000n);

  const logs = readdirSync(join(env.configDir, "logs"))
    .map((name) => readFileSync(join(env.configDir, "logs", name), "utf8"))
    .join("\n");
  const keyHex = account.privateKey.slice(2);
  for (const text of [result.stdout, result.stderr, logs]) {
    expect(text).not.toContain(keyHex);
    expect(text).not.toContain(PASSWORD);
  }
});
