import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTestContext, runCli, scriptedPrompter, type TestContextOptions } from "../../helpers/context.ts";
import { createMemoryKeyringClient } from "../../../src/wallet/index.ts";
import { CoreErrors } from "../../../src/errors/codes/index.ts";

/** A working keychain (in memory) unless a test asks for the keystore. */
const withKeychain = (options: TestContextOptions = {}) =>
  makeTestContext({ ...options, services: { keyring: createMemoryKeyringClient(), ...options.services } });

const readConfig = (file: string) => JSON.parse(readFileSync(file, "utf8"));

describe("init", () => {
  test("without a terminal and without --yes it refuses and names the flag", async () => {
    const result = await runCli(["init"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(CoreErrors.NOT_INTERACTIVE.code);
    expect(result.stderr).toContain("--yes");
    expect(existsSync(result.context.paths.configFile)).toBe(false);
  });

  test("--yes with flags writes the config; a second run changes nothing", async () => {
    const context = withKeychain();
    const deployment = join(context.cwd, "deployment.json");
    writeFileSync(deployment, JSON.stringify({ rpcUrl: "http://127.0.0.1:45678", chainId: 31337 }));
    const first = await runCli(
      [
        "init",
        "--yes",
        "--network",
        "local",
        "--deployment-file",
        deployment,
        "--public-url",
        "http://127.0.0.1:8080",
        "--models",
        "a/b:c.gguf,d/e:f.gguf",
        "--price-usdc",
        "5",
        "--price-eth",
        "0.000002",
        "--json",
      ],
      context,
    );
    expect(first.code).toBe(0);
    const data = first.json().data;
    expect(data.changes.map((c: { key: string }) => c.key)).toContain("network");
    const config = readConfig(context.paths.configFile);
    expect(config).toMatchObject({
      network: "local",
      rpcUrls: ["http://127.0.0.1:45678"],
      models: ["a/b:c.gguf", "d/e:f.gguf"],
      prices: { "*": { usdc: "5000", eth: "2000000000000" } },
    });
    const before = readFileSync(context.paths.configFile, "utf8");
    const second = await runCli(["init", "--yes"], context);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing changed");
    expect(readFileSync(context.paths.configFile, "utf8")).toBe(before);
  });

  test("a price the contract cannot hold is refused before anything is written", async () => {
    const result = await runCli(["init", "--yes", "--price-usdc", "0.0001"], withKeychain());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--price-usdc");
    expect(result.stderr).toContain("Try:");
    expect(existsSync(result.context.paths.configFile)).toBe(false);
  });

  test("a bad flag value is a usage error naming the allowed values", async () => {
    const result = await runCli(["init", "--yes", "--network", "mainnet"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(CoreErrors.USAGE.code);
    expect(result.stderr).toContain("base-sepolia");
  });

  test("on a terminal the wizard asks, with current values as defaults, and confirms changes on re-run", async () => {
    const answers = {
      Network: "base-sepolia",
      "RPC URLs": "https://rpc.example.org,https://sepolia.base.org",
      "Public API URL": "https://host.example.org:8080",
      "Public API port": "8080",
      "Models to serve": "a/b:c.gguf",
      "USDC price": "7.5",
      "ETH price": "0.000003",
    };
    const context = withKeychain({ tty: true, prompter: scriptedPrompter({ ...answers, "Save these changes": true }) });
    // A host that already has its wallet (the wallet's own terminal flow is tested with the wallet commands).
    mkdirSync(context.paths.home, { recursive: true });
    writeFileSync(
      context.paths.configFile,
      JSON.stringify({ version: 1, wallet: { address: "0x00000000000000000000000000000000000000a1", backend: "keychain" } }),
    );
    const first = await runCli(["init"], context);
    expect(first.code).toBe(0);
    expect(readConfig(context.paths.configFile)).toMatchObject({
      rpcUrls: ["https://rpc.example.org", "https://sepolia.base.org"],
      prices: { "*": { usdc: "7500" } },
    });

    // Re-run: the same answers change nothing, and nothing is asked to confirm.
    const again = scriptedPrompter(answers);
    context.prompter = again;
    const second = await runCli(["init"], context);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing changed");
    expect(again.asked.some((q) => q.startsWith("Save these changes"))).toBe(false);

    // A changed answer is confirmed; declining leaves the file as it was.
    const declined = scriptedPrompter({ ...answers, "USDC price": "9", "Save these changes": false });
    context.prompter = declined;
    const before = readFileSync(context.paths.configFile, "utf8");
    const third = await runCli(["init"], context);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain(CoreErrors.CANCELLED.code);
    expect(readFileSync(context.paths.configFile, "utf8")).toBe(before);
  });

  test("the wallet step creates a key in the keychain and stores only its address", async () => {
    const context = withKeychain();
    const result = await runCli(["init", "--yes", "--json"], context);
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.wallet).toMatchObject({ backend: "keychain", created: true });
    const config = readConfig(context.paths.configFile);
    expect(config.wallet).toEqual({ address: data.wallet.address, backend: "keychain" });
    expect(JSON.stringify(config)).not.toMatch(/[0-9a-f]{64}/i);
    // A second run keeps the wallet.
    const again = await runCli(["init", "--yes", "--json"], context);
    expect(again.json().data.wallet).toMatchObject({ address: data.wallet.address, created: false });
  });

  test("with --backend keystore and a password file it writes an encrypted keystore", async () => {
    const context = withKeychain();
    const passwordFile = join(context.cwd, "pw.txt");
    writeFileSync(passwordFile, "correct horse battery staple 42\n", { mode: 0o600 });
    const result = await runCli(["init", "--yes", "--backend", "keystore", "--password-file", passwordFile], context);
    expect(result.code).toBe(0);
    const { address } = readConfig(context.paths.configFile).wallet;
    expect(readConfig(context.paths.configFile).wallet).toEqual({ address, backend: "keystore" });
    const keystore = readFileSync(join(context.paths.keystoreDir, `${address.toLowerCase()}.json`), "utf8");
    expect(JSON.parse(keystore).crypto ?? JSON.parse(keystore).Crypto).toBeDefined();
    expect(result.stderr).toContain("wallet backup");
  });
});
