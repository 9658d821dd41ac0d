/**
 * `market --json` on the devnet with three active hosts at different prices: the devnet host (the default prices),
 * the client's account and a fourth anvil account registered as hosts too. Checks the hosts listed for the model,
 * their prices, this host's rank per token, the break-even beside them, that the reads went out in JSON-RPC batches
 * (through a counting proxy in front of anvil), and the one-minute cache.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_NATIVE_PRICE, DEFAULT_STABLE_PRICE, DEVNET_HOOK_TIMEOUT_MS, devnetContracts, devnetWallet, registerHost } from "../../helpers/devnet.ts";
import { ANVIL_ACCOUNTS } from "../../../scripts/devnet/accounts.ts";
import { startLedgerHost, type LedgerHost } from "../host-ledger/harness.ts";

let h: LedgerHost;
let proxy: ReturnType<typeof Bun.serve>;
const traffic = { posts: 0, calls: 0 };
const fourth = ANVIL_ACCOUNTS[3]!;

beforeAll(async () => {
  h = await startLedgerHost();
  const { deployment, provider } = h.devnet;
  const owner = devnetContracts(deployment, devnetWallet(deployment.accounts.deployer, provider));
  await (await owner.fabToken.getFunction("mint")(fourth.address, 10n ** 22n)).wait();
  await registerHost(deployment, provider, {
    account: deployment.accounts.client,
    nativePrice: 5_000_000n,
    stablePrice: 4_000n,
    apiUrl: "http://127.0.0.1:8181",
  });
  await registerHost(deployment, provider, { account: fourth, nativePrice: 1_000_000n, stablePrice: 9_000n, apiUrl: "http://127.0.0.1:8282" });
  proxy = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const body = await request.text();
      traffic.posts += 1;
      const parsed = JSON.parse(body);
      traffic.calls += Array.isArray(parsed) ? parsed.length : 1;
      const answer = await fetch(h.devnet.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
      return new Response(await answer.text(), { headers: { "content-type": "application/json" } });
    },
  });
  await h.setUp({ rpcUrls: [`http://127.0.0.1:${proxy.port}`] });
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(async () => {
  proxy?.stop(true);
  await h?.stop();
});

type Token = {
  token: string;
  hostsPriced: number;
  lowest: string;
  highest: string;
  rank: number;
  thisPrice: string;
  breakEven: string | null;
  belowBreakEven: number;
};

describe("market on the devnet", () => {
  test("three hosts serve the model; this host's prices rank second; break-even beside them; reads batched", async () => {
    const model = h.devnet.deployment.models[0]!;
    traffic.posts = 0;
    traffic.calls = 0;
    const result = await h.run(["market", "--model", `${model.repo}:${model.file}`, "--json"]);
    expect(result.code).toBe(0);
    const report = result.json().data;
    expect(report.cached).toBe(false);
    expect(report.models.length).toBe(1);
    const [entry] = report.models;
    expect(entry.model).toBe(`${model.repo}:${model.file}`);
    const byAddress = Object.fromEntries(entry.hosts.map((x: { address: string; prices: unknown; isThisHost: boolean }) => [x.address.toLowerCase(), x]));
    expect(Object.keys(byAddress).sort()).toEqual([h.host, h.devnet.deployment.accounts.client.address, fourth.address].map((a) => a.toLowerCase()).sort());
    expect(byAddress[h.host.toLowerCase()]).toMatchObject({
      isThisHost: true,
      prices: { eth: DEFAULT_NATIVE_PRICE.toString(), usdc: DEFAULT_STABLE_PRICE.toString() },
    });
    expect(byAddress[fourth.address.toLowerCase()]).toMatchObject({
      isThisHost: false,
      apiUrl: "http://127.0.0.1:8282",
      prices: { eth: "1000000", usdc: "9000" },
    });

    const eth: Token = entry.tokens.find((t: Token) => t.token === "eth");
    const usdc: Token = entry.tokens.find((t: Token) => t.token === "usdc");
    expect(eth).toMatchObject({
      hostsPriced: 3,
      lowest: "1000000",
      highest: "5000000",
      rank: 2,
      thisPrice: DEFAULT_NATIVE_PRICE.toString(),
      belowBreakEven: 3,
    });
    expect(BigInt(eth.breakEven!)).toBeGreaterThan(5_000_000n);
    expect(usdc).toMatchObject({ hostsPriced: 3, lowest: "4000", highest: "9000", rank: 2, breakEven: null, belowBreakEven: 0 });

    // The verify, the host lists, then every host's info and prices: a handful of HTTP posts for many more calls.
    expect(traffic.calls).toBeGreaterThan(12);
    expect(traffic.posts).toBeLessThanOrEqual(traffic.calls / 2);
  });

  test("a second run within the minute is answered from the cache; --fresh reads the chain again", async () => {
    const model = h.devnet.deployment.models[0]!;
    const again = (await h.run(["market", "--model", `${model.repo}:${model.file}`, "--json"])).json().data;
    expect(again.cached).toBe(true);
    const fresh = (await h.run(["market", "--model", `${model.repo}:${model.file}`, "--json", "--fresh"])).json().data;
    expect(fresh.cached).toBe(false);
  });

  test("without --model: every model the host serves, in text", async () => {
    const result = await h.run(["market", "--fresh"]);
    expect(result.code).toBe(0);
    for (const model of h.devnet.deployment.models) expect(result.stdout).toContain(`${model.repo}:${model.file}: 3 active host(s)`);
    expect(result.stdout).toContain("(this host)");
  });
});
