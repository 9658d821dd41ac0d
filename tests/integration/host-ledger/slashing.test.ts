/**
 * Slashing as `status` reports it. The devnet owner is the slashing authority: at most 50% of the stake per slash,
 * 24 h between slashes, and a stake below 100 FAB unregisters the host (the rest is returned).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { parseUnits } from "ethers";
import { DEVNET_HOOK_TIMEOUT_MS, mine } from "../../helpers/devnet.ts";
import { fn, startLedgerHost, type LedgerHost } from "./harness.ts";

let h: LedgerHost;
beforeAll(async () => {
  h = await startLedgerHost();
  await h.setUp();
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => h?.stop());

const fab = (n: string) => parseUnits(n, 18);
const slash = async (amount: bigint, reason: string) => {
  await (await fn(h.asOwner.nodeRegistry, "slashStake")(h.host, amount, "bafyevidence", reason)).wait();
  await mine(h.devnet.rpcUrl, 24 * 3600 + 1); // past the cool-down for the next one
};
const kinds = (data: { warnings: { kind: string }[] }) => data.warnings.map((w) => w.kind);

describe("slashing warnings", () => {
  test("a slash shows with its amount and reason, and the stake below the minimum", async () => {
    expect(kinds((await h.run(["status", "--json"])).json().data)).not.toContain("slashed"); // warm the cache first
    await slash(fab("400"), "served a model it did not load");

    const result = await h.run(["status", "--json"]);
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.registration.stake.value).toBe("600");
    expect(data.slashes).toEqual([
      expect.objectContaining({
        kind: "slashed",
        amount: expect.objectContaining({ value: "400" }),
        remaining: expect.objectContaining({ value: "600" }),
        reason: "served a model it did not load",
      }),
    ]);
    expect(kinds(data)).toEqual(expect.arrayContaining(["slashed", "stake-below-minimum"]));
    const text = (await h.run(["status"])).stdout;
    expect(text).toContain("Stake slashed by 400 FAB");
    expect(text).toContain("served a model it did not load");
  });

  test("slashed below 100 FAB: the host is unregistered automatically, and status says why", async () => {
    await slash(fab("300"), "second offence"); // 300 left
    await slash(fab("150"), "third offence"); // 150 left
    await slash(fab("75"), "fourth offence"); // 75 left: below the floor

    const data = (await h.run(["status", "--json"])).json().data;
    expect(data.registration.registered).toBe(false);
    expect(data.slashes.map((s: { kind: string }) => s.kind)).toEqual(["slashed", "slashed", "slashed", "slashed", "auto-unregistered"]);
    expect(kinds(data)).toEqual(expect.arrayContaining(["auto-unregistered", "not-registered"]));
    const auto = data.warnings.find((w: { kind: string }) => w.kind === "auto-unregistered");
    expect(auto.message).toContain("75 FAB was returned");
    expect(await fn(h.asHost.fabToken, "balanceOf")(h.host)).toBe(fab("4075"));

    // A cold run (no cache) finds the same history.
    rmSync(`${h.configDir}/state/ledger`, { recursive: true, force: true });
    const cold = (await h.run(["status", "--json"])).json().data;
    expect(cold.slashes).toEqual(data.slashes);
  });
});
