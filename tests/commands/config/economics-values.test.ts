/**
 * market, pricing check and earnings in-process: set-up problems and a bad --model fail with their stable codes and a
 * hint before any chain access (the only RPC is a local server that counts what reaches it).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE_SEPOLIA_CONTRACTS } from "../../../src/chain/networks.ts";
import { makeTestContext, runCli } from "../../helpers/context.ts";
import { CoreErrors, NodeErrors, WalletErrors } from "../../../src/errors/codes/index.ts";

const HOST = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
let rpc: ReturnType<typeof Bun.serve>;
let requests = 0;
let earlyChecks = 0;
const homes: string[] = [];

beforeAll(() => {
  rpc = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      const methods = [JSON.parse(await request.text())].flat().map((call: { method: string }) => call.method);
      // The network check the command line posts before a chain command loads (src/chain/early-check.ts) is not the
      // command's access: it goes out before the flags are parsed, and a refused command never waits for it.
      if (!methods.every((method) => method === "eth_chainId" || method === "eth_getCode")) requests++;
      else earlyChecks++;
      return new Response("{}", { status: 500 });
    },
  });
});
afterAll(() => {
  rpc.stop(true);
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function hostDir(config?: Record<string, unknown>) {
  const home = mkdtempSync(join(tmpdir(), "economics-cmd-"));
  homes.push(home);
  const configDir = join(home, "fabstir");
  if (config) {
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, "config.json"), JSON.stringify({ version: 1, ...config }), { mode: 0o600 });
  }
  return (argv: string[]) => runCli([...argv, "--config-dir", configDir], makeTestContext({ env: { HOME: home, NO_COLOR: "1" } }));
}

const config = () => ({
  network: "custom",
  chainId: 84532,
  rpcUrls: [`http://127.0.0.1:${rpc.port}`],
  contracts: BASE_SEPOLIA_CONTRACTS,
  wallet: { address: HOST, backend: "keychain" },
});

describe("economics commands refuse bad input before any chain access", () => {
  test("no configuration: init is named", async () => {
    const run = hostDir();
    for (const argv of [["market"], ["pricing", "check"]]) {
      const result = await run([...argv, "--json"]);
      expect({ argv, code: result.code, error: result.json().error?.code }).toEqual({ argv, code: 1, error: CoreErrors.NOT_INITIALIZED.code });
    }
    expect(requests + earlyChecks).toBe(0);
  });

  test("no wallet: wallet create is named", async () => {
    const { wallet: _, ...noWallet } = config();
    const run = hostDir(noWallet);
    for (const argv of [["market"], ["pricing", "check"]]) {
      const result = await run(argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 1 });
      expect(result.stderr).toContain(WalletErrors.NO_WALLET.code);
      expect(result.stderr).toContain("wallet create");
    }
    // Without a wallet the host is not set up: the command line does not even post its network check.
    expect(requests + earlyChecks).toBe(0);
  });

  test("a --model that is not repo:file or an id", async () => {
    const run = hostDir(config());
    for (const argv of [
      ["market", "--model", "not-a-model"],
      ["pricing", "check", "--model", "nope"],
    ]) {
      const result = await run(argv);
      expect({ argv, code: result.code, coded: result.stderr.includes(NodeErrors.MODEL_REF_INVALID.code) }).toEqual({ argv, code: 2, coded: true });
    }
    expect(requests).toBe(0);
    expect(earlyChecks).toBeLessThanOrEqual(2);
  });

  test("economics.ethUsd takes a positive number or null", async () => {
    const run = hostDir(config());
    expect((await run(["config", "set", "economics.ethUsd", "3120.5"])).code).toBe(0);
    expect((await run(["config", "get", "economics.ethUsd", "--json"])).json().data).toMatchObject({ value: 3120.5 });
    const bad = await run(["config", "set", "economics.ethUsd", "0"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("positive number");
    expect((await run(["config", "set", "economics.ethUsd", "null"])).code).toBe(0);
  });
});
