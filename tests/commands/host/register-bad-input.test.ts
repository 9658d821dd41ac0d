/**
 * Every refusal is a clear error with a code and a hint, and NOTHING is sent: the host's nonce on chain is unchanged
 * and the sender's journal holds no new intent.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { toBeHex } from "ethers";
import { DEVNET_HOOK_TIMEOUT_MS, devnetContracts, devnetWallet, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { rpc } from "../../../scripts/devnet/rpc.ts";
import { fundedAccount, hostEnv, registeredHost, type HostEnv } from "../helpers/host-env.ts";
import { ChainErrors, HostErrors } from "../../../src/errors/codes/index.ts";

let devnet: TestDevnet;
let unapproved: string;

beforeAll(async () => {
  devnet = await startTestDevnet();
  // A model the registry lists but has deactivated.
  const { modelRegistry } = devnetContracts(devnet.deployment, devnetWallet(devnet.deployment.accounts.deployer, devnet.provider));
  await (await modelRegistry.getFunction("addTrustedModel")("Retired/Model-GGUF", "old.gguf", toBeHex(1, 32))).wait();
  const id = await modelRegistry.getFunction("getModelId")("Retired/Model-GGUF", "old.gguf");
  await (await modelRegistry.getFunction("deactivateModel")(id)).wait();
  unapproved = "Retired/Model-GGUF:old.gguf";
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await devnet?.stop();
});

/** Intents the sender recorded for this host, in any state. */
function journalEntries(env: HostEnv): string[] {
  const root = join(env.configDir, "state", "tx-journal");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith(".json"));
}

async function expectRefused(env: HostEnv, argv: string[], code: string, exit: number, ...texts: string[]) {
  const nonce = await env.nonce();
  const journal = journalEntries(env).length;
  const result = await env.run(argv);
  expect({ exit: result.code, stderr: result.stderr }).toMatchObject({ exit });
  expect(result.stderr).toContain(code);
  for (const text of texts) expect(result.stderr).toContain(text);
  expect(await env.nonce()).toBe(nonce);
  expect(journalEntries(env).length).toBe(journal);
  return result;
}

describe("register refuses before any transaction", () => {
  test("an unknown model", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet), config: { models: ["Nobody/Nothing-GGUF:none.gguf"] } });
    await expectRefused(env, ["register", "--yes"], HostErrors.MODEL_UNKNOWN.code, 2, "Nobody/Nothing-GGUF:none.gguf", "Try: fabstir-host models list");
  });

  test("a model listed but not approved", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet), config: { models: [unapproved] } });
    await expectRefused(env, ["register", "--yes"], HostErrors.MODEL_NOT_APPROVED.code, 2, unapproved);
  });

  test("a configured price outside the contract's bounds", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet), config: { prices: { "*": { usdc: "100000001" } } } });
    await expectRefused(
      env,
      ["register", "--yes"],
      HostErrors.PRICE_OUT_OF_BOUNDS.code,
      2,
      'prices["*"]',
      "100000.001 USD per million tokens",
      "0.001 to 100000",
    );
  });

  test("not enough FAB: says how much is missing", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet, { fab: 400n * 10n ** 18n }) });
    await expectRefused(env, ["register", "--yes"], HostErrors.INSUFFICIENT_FAB.code, 1, "holds 400 FAB", "600 FAB missing", "Try: send 600 FAB");
  });

  test("not enough ETH for the estimated gas", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet, { eth: 1000n }) });
    await expectRefused(env, ["register", "--yes"], HostErrors.INSUFFICIENT_ETH.code, 1, "ETH missing");
  });

  test("no public URL", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet), config: { publicUrl: null } });
    await expectRefused(env, ["register", "--yes"], HostErrors.NO_PUBLIC_URL.code, 2, "config set publicUrl");
  });

  test("the wrong network: a local config claiming chain 84532, a Base Sepolia config on the devnet RPC", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet), config: { chainId: 84532 } });
    await expectRefused(env, ["register", "--yes"], ChainErrors.CHAIN_ID_CONFLICT.code, 2, "chainId 84532");
    env.writeConfig({ network: "base-sepolia", chainId: 84532, deploymentFile: null, rpcUrls: [devnet.rpcUrl] });
    await expectRefused(env, ["register", "--yes"], ChainErrors.CHAIN_ID_MISMATCH.code, 1, "Expected Base Sepolia (chain id 84532)", "chain id 31337");
  });
});

describe("maintenance commands refuse", () => {
  test("on a host that is not registered", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet) });
    for (const argv of [
      ["update", "url", "http://127.0.0.1:8080", "--no-check", "--yes"],
      ["update", "models", `${devnet.deployment.models[0]!.repo}:${devnet.deployment.models[0]!.file}`, "--yes"],
      ["update", "metadata", "--yes"],
      ["pricing", "set", "--usdc", "5", "--yes"],
      ["pricing", "clear", "--yes"],
      ["stake", "add", "10", "--yes"],
      ["unregister", "--yes"],
    ]) {
      await expectRefused(env, argv, HostErrors.NOT_REGISTERED.code, 1, "is not registered on local devnet", "Try: fabstir-host register");
    }
  });

  describe("on a registered host", () => {
    let env: HostEnv;
    beforeAll(async () => {
      env = await registeredHost(devnet);
    });

    test("a URL that is not http(s)", async () => {
      await expectRefused(env, ["update", "url", "ftp://host.example.org", "--yes"], HostErrors.URL_INVALID.code, 2, "ftp is not http or https");
      await expectRefused(env, ["update", "url", "host.example.org:8080", "--no-check", "--yes"], HostErrors.URL_INVALID.code, 2);
    });

    test("prices outside the bounds, or not prices at all", async () => {
      await expectRefused(
        env,
        ["pricing", "set", "--usdc", "100001", "--yes"],
        HostErrors.PRICE_OUT_OF_BOUNDS.code,
        2,
        "--usdc: 100001 USD per million tokens",
        "0.001 to 100000",
      );
      await expectRefused(env, ["pricing", "set", "--eth", "0.0000000000001", "--yes"], HostErrors.PRICE_OUT_OF_BOUNDS.code, 2, "--eth");
      await expectRefused(env, ["pricing", "set", "--usdc", "five", "--yes"], HostErrors.PRICE_INVALID.code, 2, "not a price");
      await expectRefused(env, ["pricing", "set", "--usdc", "0.0001", "--yes"], HostErrors.PRICE_INVALID.code, 2, "more precision");
      await expectRefused(env, ["pricing", "set", "--yes"], HostErrors.NOTHING_REQUESTED.code, 2, "--usdc");
    });

    test("unknown, unapproved or unserved models", async () => {
      await expectRefused(env, ["update", "models", "Nobody/Nothing-GGUF:none.gguf", "--yes"], HostErrors.MODEL_UNKNOWN.code, 2);
      await expectRefused(env, ["update", "models", unapproved, "--yes"], HostErrors.MODEL_NOT_APPROVED.code, 2);
      await expectRefused(env, ["pricing", "set", "--model", unapproved, "--usdc", "5", "--yes"], HostErrors.MODEL_NOT_SERVED.code, 2, "update models");
      await expectRefused(env, ["models", "info", "Nobody/Nothing-GGUF:none.gguf"], HostErrors.MODEL_UNKNOWN.code, 2);
    });

    test("stake: not an amount, or more FAB than the wallet holds", async () => {
      await expectRefused(env, ["stake", "add", "-5", "--yes"], "FH0", 2);
      await expectRefused(env, ["stake", "add", "0", "--yes"], HostErrors.AMOUNT_INVALID.code, 2);
      await expectRefused(env, ["stake", "add", "1.0000000000000000001", "--yes"], HostErrors.AMOUNT_INVALID.code, 2);
      await expectRefused(env, ["stake", "add", "999999", "--yes"], HostErrors.INSUFFICIENT_FAB.code, 1, "FAB missing");
    });

    test("metadata: a malformed --set", async () => {
      await expectRefused(env, ["update", "metadata", "--set", "novalue", "--yes"], HostErrors.METADATA_INVALID.code, 2, "key=value");
      await expectRefused(env, ["update", "metadata", "--set", "__proto__.x=1", "--yes"], HostErrors.METADATA_INVALID.code, 2);
    });

    test("registering again: nothing to do, exit 0", async () => {
      const nonce = await env.nonce();
      const result = await env.run(["register", "--yes"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("nothing to do");
      expect(await env.nonce()).toBe(nonce);
    });
  });
});

test("gas: a balance below the plan's estimate is refused, below 0.015 ETH only warned", async () => {
  const account = await fundedAccount(devnet, { eth: 10n ** 16n }); // 0.01 ETH: enough gas, below the recommendation
  const env = await hostEnv(devnet, { account });
  const result = await env.run(["register", "--yes"]);
  expect(result.code).toBe(0);
  expect(result.stderr).toContain("Warning: Only 0.01");
  expect(result.stderr).toContain("0.015 ETH is recommended");
  await rpc(devnet.rpcUrl, "anvil_setBalance", [account.address, "0x1"]);
  await expectRefused(env, ["stake", "add", "1", "--yes"], HostErrors.INSUFFICIENT_ETH.code, 1);
});
