/** `wallet balance`, `models list` and `models info` on a devnet: values read from the chain, what is missing. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEVNET_HOOK_TIMEOUT_MS, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { fundedAccount, hostEnv, registeredHost } from "../helpers/host-env.ts";
import type { FetchFn } from "../../../src/context.ts";

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet();
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await devnet?.stop();
});

describe("wallet balance", () => {
  test("its network check is the run's first request, posted before the command loads, and taken as the command's own", async () => {
    const env = await hostEnv(devnet);
    const posted: string[] = [];
    const fetch: FetchFn = (input, init) => {
      if (typeof init?.body === "string") posted.push(init.body);
      return globalThis.fetch(input, init);
    };
    const result = await env.run(["wallet", "balance", "--json"], { fetch });
    expect(result.code).toBe(0);
    expect(result.json().data.chainId).toBe(31337);
    const checks = posted.filter((body) => body.includes('"eth_chainId"') && body.includes('"eth_getCode"'));
    expect(checks).toHaveLength(1);
    expect(posted[0]).toBe(checks[0]!);
  });

  test("a fresh host: balances with the tokens' decimals, and what is missing to register", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet, { eth: 10n ** 16n, fab: 250n * 10n ** 18n, usdc: 1_500_000n }) });
    const result = await env.run(["wallet", "balance", "--json"]);
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({
      address: env.account.address,
      chainId: 31337,
      eth: { amount: "10000000000000000", formatted: "0.01", decimals: 18 },
      fab: { formatted: "250", decimals: 18 },
      usdc: { amount: "1500000", formatted: "1.5", decimals: 6 },
      minStake: { formatted: "1000" },
      registered: false,
      ready: false,
    });
    expect(data.missing).toEqual([
      expect.objectContaining({ token: "FAB", amount: expect.objectContaining({ formatted: "750" }) }),
      expect.objectContaining({ token: "ETH", amount: expect.objectContaining({ formatted: "0.005" }) }),
    ]);
    const text = await env.run(["wallet", "balance"]);
    expect(text.stdout).toContain("Missing: 750 FAB");
    expect(text.stdout).toContain("Missing: 0.005 ETH");
  });

  test("a registered host needs no FAB for the stake", async () => {
    const env = await registeredHost(devnet);
    const data = (await env.run(["wallet", "balance", "--json"])).json().data;
    expect(data).toMatchObject({ registered: true, stake: { formatted: "1000" }, fab: { formatted: "4000" }, missing: [], ready: true });
  });
});

describe("models", () => {
  test("list: every registry model with id, SHA-256, tier, active; served and priced ones marked", async () => {
    const env = await registeredHost(devnet, { models: [`${devnet.deployment.models[0]!.repo}:${devnet.deployment.models[0]!.file}`] });
    const result = await env.run(["models", "list", "--json"]);
    expect(result.code).toBe(0);
    const models = result.json().data.models;
    expect(models.map((m: { id: string }) => m.id)).toEqual(devnet.deployment.models.map((m) => m.id));
    expect(models[0]).toMatchObject({
      ref: env.ref(0),
      sha256: devnet.deployment.models[0]!.sha256,
      tier: 1,
      active: true,
      configured: true,
      registered: true,
      prices: { usdc: { price: "5000", human: "5" }, eth: { human: "0.000002" } },
    });
    expect(models[1]).toMatchObject({ ref: env.ref(1), configured: false, registered: false, prices: null });
    const text = await env.run(["models", "list"]);
    expect(text.stdout).toContain(env.ref(0));
    expect(text.stdout).toContain("on chain");
  });

  test("info: by repo:file or by id", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet) });
    const byRef = await env.run(["models", "info", env.ref(1), "--json"]);
    expect(byRef.code).toBe(0);
    expect(byRef.json().data).toMatchObject({
      id: devnet.deployment.models[1]!.id,
      sha256: devnet.deployment.models[1]!.sha256,
      configured: true,
      registered: false,
    });
    const byId = await env.run(["models", "info", devnet.deployment.models[1]!.id]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain(devnet.deployment.models[1]!.sha256);
    expect(byId.stdout).toContain(env.ref(1));
  });
});
