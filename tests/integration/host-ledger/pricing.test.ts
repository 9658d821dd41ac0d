/**
 * A served model without a price: sessions paying in that token revert on chain, so `status` warns about each
 * (model, token) pair. getModelPricing reverts "No model pricing" for such a pair: that is read as "no price".
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZeroAddress } from "ethers";
import { connectChain } from "../../../src/chain/index.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { readModelPrice } from "../../../src/host/status/calls.ts";
import { DEFAULT_NATIVE_PRICE, DEVNET_HOOK_TIMEOUT_MS, registerHost } from "../../helpers/devnet.ts";
import { fn, startLedgerHost, type LedgerHost } from "./harness.ts";

let h: LedgerHost;
beforeAll(async () => {
  h = await startLedgerHost({ register: false });
  await registerHost(h.devnet.deployment, h.devnet.provider, { setPrices: false });
  await h.setUp();
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => h?.stop());

const unpriced = (data: { warnings: { kind: string; message: string }[] }) => data.warnings.filter((w) => w.kind === "unpriced-model").map((w) => w.message);

describe("unpriced models", () => {
  test("every registered model without a price is named, with the missing tokens", async () => {
    const [first, second] = h.devnet.deployment.models;
    const data = (await h.run(["status", "--json"])).json().data;
    expect(data.registration.models.every((m: { prices: { eth: unknown; usdc: unknown } }) => m.prices.eth === null && m.prices.usdc === null)).toBe(true);
    expect(unpriced(data)).toEqual([
      `${first!.repo}:${first!.file} has no ETH or USDC price: sessions paying in them are refused on chain.`,
      `${second!.repo}:${second!.file} has no ETH or USDC price: sessions paying in them are refused on chain.`,
    ]);

    await (await fn(h.asHost.nodeRegistry, "setModelTokenPricing")(first!.id, ZeroAddress, DEFAULT_NATIVE_PRICE)).wait();
    const after = (await h.run(["status", "--json"])).json().data;
    expect(unpriced(after)[0]).toBe(`${first!.repo}:${first!.file} has no USDC price: sessions paying in it are refused on chain.`);
    const text = (await h.run(["status"])).stdout;
    expect(text).toContain("no price");
  });

  test("getModelPricing's revert for a pair without a price reads as 0, a price as itself", async () => {
    const config = resolveConfig(undefined, {}, { network: "local", deploymentFile: h.deploymentFile }).config as HostConfig;
    const chain = connectChain(config);
    try {
      const [first] = h.devnet.deployment.models;
      const registry = chain.network.contracts.nodeRegistry;
      expect(await readModelPrice(chain.rpc, registry, h.host, first!.id, h.usdc)).toBe(0n);
      expect(await readModelPrice(chain.rpc, registry, h.host, first!.id, ZeroAddress)).toBe(DEFAULT_NATIVE_PRICE);
    } finally {
      chain.close();
    }
  });
});
