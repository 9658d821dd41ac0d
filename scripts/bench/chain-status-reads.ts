/**
 * Benchmark: a cold status-style read of a registered host (getNodeFullInfo, MIN_STAKE, ETH/FAB/USDC balances,
 * HostEarnings balances, block number) on the devnet, counting HTTP requests at a proxy in front of anvil.
 * Target: at most 2 HTTP round trips, without a Multicall contract (JSON-RPC batching).
 *
 *   bun scripts/bench/chain-status-reads.ts [--runs 20] [--latency-ms 40]
 *
 * `--latency-ms` delays every proxy answer to imitate a remote RPC. The baseline is ethers' JsonRpcProvider with
 * batching off (one HTTP request per call), the way most tools talk to an RPC.
 */
import { JsonRpcProvider, Network } from "ethers";
import { startAnvil } from "../devnet/anvil.ts";
import { deployFabstir } from "../devnet/deploy.ts";
import { registerHost, devnetProvider } from "../devnet/actions.ts";
import { connectChain } from "../../src/chain/client.ts";
import { connectContracts } from "../../src/chain/contracts.ts";
import { readHostSnapshot } from "../../src/chain/snapshot.ts";
import type { HostConfig } from "../../src/config/types.ts";
import { startRpcProxy } from "../../tests/integration/chain/fixtures/rpc-proxy.ts";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = arg("runs", 20);
const latencyMs = arg("latency-ms", 40);

const anvil = await startAnvil();
const proxy = await startRpcProxy(anvil.rpcUrl);
try {
  const deployment = await deployFabstir(anvil.rpcUrl);
  const setup = devnetProvider(anvil.rpcUrl);
  await registerHost(deployment, setup);
  setup.destroy();
  const host = deployment.accounts.host.address;
  proxy.delayMs = latencyMs;

  const config = {
    network: "custom",
    chainId: 31337,
    rpcUrls: [proxy.url],
    contracts: deployment.contracts,
    deploymentFile: null,
    tx: { confirmations: 1, maxFeeGwei: 100, gasMarginPercent: 20, pendingTimeoutSeconds: 60 },
  } as unknown as HostConfig;

  const measure = async (label: string, read: () => Promise<void>) => {
    const trips: number[] = [];
    const calls: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      proxy.reset();
      const started = performance.now();
      await read();
      times.push(performance.now() - started);
      trips.push(proxy.httpRequests);
      calls.push(proxy.rpcCalls);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `${label.padEnd(38)} HTTP round trips ${String(Math.max(...trips)).padStart(2)} (max)  JSON-RPC calls ${String(Math.max(...calls)).padStart(2)}  ` +
        `wall median ${median.toFixed(1).padStart(6)} ms  p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(1).padStart(6)} ms`,
    );
    return Math.max(...trips);
  };

  console.log(`cold status read of a registered host, ${runs} runs, ${latencyMs} ms added per RPC answer\n`);
  const pooledTrips = await measure("pooled provider (JSON-RPC batch)", async () => {
    const chain = connectChain(config);
    const snapshot = await readHostSnapshot(chain.provider, chain.contracts, host);
    if (!snapshot.registered) throw new Error("host not registered");
    chain.close();
  });
  await measure("ethers JsonRpcProvider, no batching", async () => {
    const network = Network.from(31337);
    const provider = new JsonRpcProvider(proxy.url, network, { staticNetwork: network, batchMaxCount: 1, cacheTimeout: -1 });
    await readHostSnapshot(provider, connectContracts(deployment.contracts, provider), host);
    provider.destroy();
  });
  await measure("ethers JsonRpcProvider, defaults", async () => {
    const provider = new JsonRpcProvider(proxy.url);
    await readHostSnapshot(provider, connectContracts(deployment.contracts, provider), host);
    provider.destroy();
  });
  console.log(`\ntarget ≤ 2 round trips: ${pooledTrips <= 2 ? "met" : "MISSED"} (${pooledTrips})`);
} finally {
  await proxy.close();
  await anvil.stop();
}
