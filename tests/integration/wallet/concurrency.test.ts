/**
 * Real processes against one keystore: two unlocking at the same moment both succeed and leave the file untouched;
 * and a keychain that hangs (a D-Bus bus that never answers) cannot hang the CLI.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { join } from "node:path";
import { secretFile, TEST_ADDRESS, TEST_KEY, TEST_PASSWORD } from "../../unit/wallet/wallet-fixtures.ts";
import { childEnv, envelopes, MAIN, REPO_ROOT, tempHome } from "./keychain-env.ts";

const home = tempHome("wallet-concurrency-");
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function runCli(args: string[], env: Record<string, string>, stdin?: string) {
  const child = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd: REPO_ROOT,
    env,
    stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { stdout, stderr, code };
  } finally {
    clearTimeout(timer);
  }
}

describe("several processes, one keystore", () => {
  test("two processes unlocking at once both succeed, and the file is unchanged", async () => {
    const dir = join(home, "shared");
    const pw = secretFile(home, "pw.txt", TEST_PASSWORD);
    // A heavier work factor than other tests, so the two scrypt runs really overlap.
    const env = childEnv(home, { FABSTIR_TEST_SCRYPT_N: "65536" });
    const imported = await runCli(["wallet", "import", "--stdin", "--backend", "keystore", "--password-file", pw, "--config-dir", dir], env, TEST_KEY);
    expect(imported.code).toBe(0);
    const file = join(dir, "keystore", `${TEST_ADDRESS.toLowerCase()}.json`);
    const before = createHash("sha256").update(readFileSync(file)).digest("hex");
    const exportArgs = ["wallet", "export", "--insecure", "--yes", "--json", "--password-file", pw, "--config-dir", dir];
    const [first, second] = await Promise.all([runCli(exportArgs, env), runCli(exportArgs, env)]);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(envelopes(first.stdout)[0].data.privateKey).toBe(TEST_KEY);
    expect(envelopes(second.stdout)[0].data.privateKey).toBe(TEST_KEY);
    expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(before);
  });
});

describe("a keychain that never answers", () => {
  test("the probe gives up at its deadline and create falls back to a keystore file", async () => {
    const socketPath = join(home, "silent-bus.sock");
    const sockets: Socket[] = [];
    // Accepts D-Bus connections and never says a word: what a wedged session bus looks like to a client.
    const server = createServer((socket) => void sockets.push(socket.on("error", () => {})));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const pw = secretFile(home, "pw2.txt", TEST_PASSWORD);
      const started = Date.now();
      const result = await runCli(
        ["wallet", "create", "--password-file", pw, "--config-dir", join(home, "hang")],
        childEnv(home, { DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}` }),
      );
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("did not answer");
      expect(result.stderr).toContain("encrypted keystore file");
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);
});
