/**
 * Benchmark: transactions per second the TxSender sustains against anvil (automine), with every intent journalled
 * (fsync at each step), priced, signed, broadcast and confirmed. ETH transfers, so nothing needs compiling.
 *
 *   bun scripts/bench/chain-tps.ts [--count 200] [--concurrency 1,8,32]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { ANVIL_ACCOUNTS } from "../devnet/accounts.ts";
import { startAnvil } from "../devnet/anvil.ts";
import { RpcPool } from "../../src/chain/rpc/pool.ts";
import { PooledProvider } from "../../src/chain/rpc/provider.ts";
import { TxSender } from "../../src/chain/tx/sender.ts";

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const count = Number(arg("count", "200"));
const levels = arg("concurrency", "1,8,32").split(",").map(Number);

const anvil = await startAnvil();
const stateDir = mkdtempSync(join(tmpdir(), "fabstir-bench-tps-"));
try {
  console.log(`TxSender throughput on anvil (automine), ${count} ETH transfers per run, 1 confirmation\n`);
  for (const [index, concurrency] of levels.entries()) {
    const pool = new RpcPool({ urls: [anvil.rpcUrl] });
    const provider = new PooledProvider(pool, 31337, { batchStallTime: 2 });
    const sender = await TxSender.create({
      provider,
      signer: new Wallet(ANVIL_ACCOUNTS[index % ANVIL_ACCOUNTS.length]!.privateKey),
      chainId: 31337,
      stateDir: join(stateDir, String(index)),
      tx: { confirmations: 1, maxFeeGwei: 100, gasMarginPercent: 20, pendingTimeoutSeconds: 60 },
      pollIntervalMs: 10,
    });
    const recipient = Wallet.createRandom().address;
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < count) {
        const i = next++;
        await sender.submit({ key: `bench:${concurrency}:${i}`, to: recipient, value: 1n, description: `transfer ${i}` });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    const received = await provider.getBalance(recipient);
    if (received !== BigInt(count)) throw new Error(`expected ${count} wei at the recipient, found ${received}`);
    const totals = pool.totals();
    console.log(
      `concurrency ${String(concurrency).padStart(3)}: ${(count / seconds).toFixed(1).padStart(7)} tx/s  (${seconds.toFixed(2)} s, ` +
        `${(totals.roundTrips / count).toFixed(1)} HTTP round trips and ${(totals.requests / count).toFixed(1)} JSON-RPC calls per tx)`,
    );
    await sender.idle();
    provider.destroy();
  }
} finally {
  await anvil.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
