import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { startLedgerHost, newSession, type LedgerHost } from "./harness.ts";
import { connectChain } from "../../../src/chain/client.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import * as calls from "../../../src/host/status/calls.ts";
import { ZeroAddress } from "ethers";
let h: LedgerHost;
beforeAll(async () => { h = await startLedgerHost(); }, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => h?.stop());
test("scratch", async () => {
  const config = resolveConfig(undefined, {}, { network: "local", deploymentFile: h.deploymentFile }).config as any;
  const chain = connectChain(config);
  const c = chain.network.contracts; const rpc = chain.provider;
  const job = await newSession(h, "ETH");
  const tries: Record<string, () => Promise<unknown>> = {
    node: () => calls.readNodeInfo(rpc, c.nodeRegistry, h.host),
    min: () => calls.viewCall(rpc, c.nodeRegistry, calls.IFACES.registry, "MIN_STAKE", []),
    fab: () => calls.viewCall(rpc, c.fabToken, calls.IFACES.erc20, "balanceOf", [h.host]),
    earned: () => calls.viewCall(rpc, c.hostEarnings, calls.IFACES.earnings, "getBalances", [h.host, [ZeroAddress, c.usdcToken]]),
    prices: () => calls.readHostPrices(rpc, c.nodeRegistry, h.host, ZeroAddress),
    head: () => calls.blockHeader(rpc, "latest"),
    job: () => calls.readSessionJob(rpc, c.jobMarketplace, String(job)),
    raw: () => rpc.send("eth_call", [{ to: c.jobMarketplace, data: calls.IFACES.market.encodeFunctionData("sessionJobs", [job]) }, "latest"]),
    sid: () => calls.viewCall(rpc, c.jobMarketplace, calls.IFACES.market, "hostSessions", [h.host, 0]),
  };
  for (const [k, f] of Object.entries(tries)) { try { console.log(k, await f()); } catch (e) { console.log(k, "ERR", (e as Error).message.slice(0, 300)); } }
  chain.close();
});
