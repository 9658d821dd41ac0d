/**
 * `register` end to end on a devnet: the chain state it leaves (stake, URL, models, metadata with the public key, a
 * price for every model × token), a re-run that sends nothing, resuming after a stop midway, and the questions it asks.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { computeAddress } from "ethers";
import { DEVNET_HOOK_TIMEOUT_MS, devnetContracts, devnetWallet, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { scriptedPrompter } from "../../helpers/context.ts";
import { chainPrice, fundedAccount, hostEnv, nodeInfo, TEST_HARDWARE } from "../helpers/host-env.ts";
import { CoreErrors } from "../../../src/errors/codes/index.ts";

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet();
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await devnet?.stop();
});

describe("register", () => {
  test("registers the devnet host: stake, URL, models, metadata with the public key, every model priced", async () => {
    const env = await hostEnv(devnet, { config: { prices: { "*": { usdc: "7000" } }, host: { location: "eu-west", maxConcurrent: 4 } } });
    const result = await env.run(["register", "--yes", "--json"]);
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.status).toBe("registered");
    expect(data.sent.map((tx: { kind: string }) => tx.kind)).toEqual(["approve", "register", "price", "price", "price", "price"]);
    for (const tx of data.sent) expect(tx.hash).toMatch(/^0x[0-9a-f]{64}$/);

    const info = await nodeInfo(env);
    expect(info.operator).toBe(env.account.address);
    expect(info.stake).toBe(1000n * 10n ** 18n);
    expect(info.apiUrl).toBe("http://127.0.0.1:8080");
    expect(info.models).toEqual(env.models.map((m) => m.id));
    const metadata = JSON.parse(info.metadata);
    expect(metadata.hardware).toEqual(TEST_HARDWARE);
    expect(metadata.location).toBe("eu-west");
    expect(metadata.maxConcurrent).toBe(4);
    expect(metadata.capabilities).toContain("inference");
    expect(metadata.publicKey).toMatch(/^0x0[23][0-9a-f]{64}$/);
    expect(computeAddress(metadata.publicKey)).toBe(env.account.address);
    for (const model of env.models) {
      expect(await chainPrice(env, model.id, "usdc")).toBe(7000n);
      expect(await chainPrice(env, model.id, "eth")).toBe(2_000_000_000_000n);
    }
    expect(await env.nonce()).toBe(6);

    const again = await env.run(["register", "--yes"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing to do");
    expect(await env.nonce()).toBe(6);
  });

  test("without a terminal and without --yes: NOT_INTERACTIVE, nothing sent", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet) });
    const result = await env.run(["register"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(CoreErrors.NOT_INTERACTIVE.code);
    expect(result.stderr).toContain("--yes");
    expect(await env.nonce()).toBe(0);
  });

  test("on a terminal it shows the plan with a gas estimate and asks; no means nothing is sent", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet) });
    const prompter = scriptedPrompter({ "Register this host?": false });
    const result = await env.run(["register"], { tty: true, prompter });
    expect(result.code).toBe(1);
    expect(prompter.asked).toContain("Register this host?");
    expect(result.stderr).toContain("1. approve 1000 FAB for the stake");
    expect(result.stderr).toContain("2. register the host at http://127.0.0.1:8080 with 2 models");
    expect(result.stderr).toMatch(/Estimated gas: [\d,]+ gas at up to [\d.]+ gwei ≈ [\d.]+ ETH/);
    expect(result.stderr).toContain(CoreErrors.CANCELLED.code);
    expect(await env.nonce()).toBe(0);
  });

  test("stopped after the approve, a re-run skips it and finishes; a price already set is not sent again", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet) });
    // An earlier run that approved, then stopped (approve done directly on chain, as another tool might have).
    const { fabToken } = devnetContracts(devnet.deployment, devnetWallet(env.account, devnet.provider));
    await (await fabToken.getFunction("approve")(devnet.deployment.contracts.nodeRegistry, 1000n * 10n ** 18n)).wait();
    const result = await env.run(["register", "--yes", "--json"]);
    expect(result.code).toBe(0);
    expect(result.json().data.sent.map((tx: { kind: string }) => tx.kind)).toEqual(["register", "price", "price", "price", "price"]);
    expect(await env.nonce()).toBe(6);
  });
});
