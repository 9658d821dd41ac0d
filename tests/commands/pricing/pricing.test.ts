/**
 * Prices through the commands, checked on chain: set in people's units, shown beside the config, cleared.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEVNET_HOOK_TIMEOUT_MS, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { chainPrice, registeredHost } from "../helpers/host-env.ts";

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet();
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await devnet?.stop();
});

describe("pricing", () => {
  test("set: human units converted exactly, every served model, chain and config", async () => {
    const env = await registeredHost(devnet);
    const result = await env.run(["pricing", "set", "--usdc", "2.5", "--eth", "0.000003", "--yes"]);
    expect(result.code).toBe(0);
    for (const model of env.models) {
      expect(await chainPrice(env, model.id, "usdc")).toBe(2500n);
      expect(await chainPrice(env, model.id, "eth")).toBe(3_000_000_000_000n);
    }
    expect(env.config().prices).toEqual({ "*": { usdc: "2500", eth: "3000000000000" } });
  });

  test("set --model, then show lists human, raw and the bounds", async () => {
    const env = await registeredHost(devnet);
    expect((await env.run(["pricing", "set", "--model", env.ref(1), "--usdc", "10", "--yes"])).code).toBe(0);
    expect(await chainPrice(env, env.models[1]!.id, "usdc")).toBe(10_000n);
    expect(await chainPrice(env, env.models[0]!.id, "usdc")).toBe(5000n);
    expect(env.config().prices[env.ref(1)]).toEqual({ usdc: "10000" });
    const show = await env.run(["pricing", "show", "--json"]);
    expect(show.code).toBe(0);
    const view = show.json().data;
    expect(view.bounds.usdc).toMatchObject({ min: "1", max: "100000000", minHuman: "0.001", maxHuman: "100000" });
    const row = view.rows.find((r: { model: string; token: string }) => r.model === env.ref(1) && r.token === "usdc");
    expect(row).toMatchObject({ served: true, onChain: "10000", onChainHuman: "10", configuredFrom: "model" });
    expect(view.missing).toBe(0);
    const text = await env.run(["pricing", "show"]);
    expect(text.stdout).toContain("USDC bounds: 0.001 to 100000 USD per million tokens");
  });

  test("clear: the pair has no price any more; show flags it", async () => {
    const env = await registeredHost(devnet);
    const result = await env.run(["pricing", "clear", "--model", env.ref(0), "--token", "usdc", "--yes"]);
    expect(result.code).toBe(0);
    expect(await chainPrice(env, env.models[0]!.id, "usdc")).toBe(0n);
    expect(await chainPrice(env, env.models[0]!.id, "eth")).toBe(2_000_000_000_000n);
    const show = await env.run(["pricing", "show"]);
    expect(show.stdout).toContain("NONE (sessions revert)");
    // register puts the configured price back: the most common host failure, repaired
    const repair = await env.run(["register", "--yes", "--json"]);
    expect(repair.json().data.status).toBe("completed");
    expect(await chainPrice(env, env.models[0]!.id, "usdc")).toBe(5000n);
  });
});
