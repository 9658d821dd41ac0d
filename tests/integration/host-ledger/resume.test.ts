/**
 * A withdrawal interrupted midway is finished by running `withdraw` again, and nothing is sent twice: killed after
 * the withdrawal was broadcast (before its receipt was seen), and killed between the withdrawal and the sweep.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "ethers";
import { DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { connectChain, type ChainClient } from "../../../src/chain/index.ts";
import type { TxStep } from "../../../src/chain/tx/types.ts";
import type { HostServices } from "../../../src/context.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { completeAsHost, fn, newSession, prove, startLedgerHost, type LedgerHost } from "./harness.ts";
import { HostLedgerErrors } from "../../../src/errors/codes/index.ts";

let h: LedgerHost;
beforeAll(async () => {
  h = await startLedgerHost();
  await h.setUp();
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => h?.stop());

/** Transactions the host sent to `to` since `fromBlock`. */
async function sentTo(to: string, fromBlock: number): Promise<string[]> {
  const hashes: string[] = [];
  const latest = await h.devnet.provider.getBlockNumber();
  for (let n = fromBlock; n <= latest; n++) {
    const block = await h.devnet.provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.from === h.host && tx.to?.toLowerCase() === to.toLowerCase()) hashes.push(tx.hash);
    }
  }
  return hashes;
}

async function earnUsdc(tokens: number): Promise<bigint> {
  const job = await newSession(h, "USDC");
  await prove(h, job, tokens);
  await completeAsHost(h, job);
  return fn(h.asHost.hostEarnings, "getBalance")(h.host, h.usdc) as Promise<bigint>;
}

const usdcOf = (who: string) => fn(h.asHost.usdcToken, "balanceOf")(who) as Promise<bigint>;
const pendingFiles = () => readdirSync(join(h.configDir, "state", "ledger")).filter((f) => f.startsWith("withdrawal-"));
const historyLines = () =>
  readFileSync(join(h.configDir, "state", "withdrawals.jsonl"), "utf8")
    .trim()
    .split("\n");

/**
 * A chain service whose transaction layer dies (as a killed process would) at one step of the first intent whose key
 * starts with `prefix`. The client is shared with the test, so closing it is left to the test.
 */
function dyingAt(real: ChainClient, step: TxStep, prefix: string, message: string): HostServices["connectChain"] {
  return () => ({
    ...real,
    close: () => {},
    sender: (signer, stateDir, extra) =>
      real.sender(signer, stateDir, {
        ...extra,
        hooks: {
          onStep: (at, record) => {
            if (at === step && record.key.startsWith(prefix)) throw new Error(message);
          },
        },
      }),
  });
}

describe("an interrupted withdrawal", () => {
  test("killed right after the broadcast: the re-run finds the mined transaction and sends nothing new", async () => {
    const earned = await earnUsdc(4000);
    const cold = Wallet.createRandom().address;
    const from = await h.devnet.provider.getBlockNumber();
    const config = resolveConfig(undefined, {}, { network: "local", deploymentFile: h.deploymentFile }).config as HostConfig;
    const real = connectChain(config);
    try {
      // The chain layer stops (as a killed process would) once the withdrawal's signed bytes are broadcast.
      const first = await h.run(["withdraw", "--yes", "--to", cold], {
        services: { connectChain: dyingAt(real, "after-send", "withdraw:", "killed after broadcast") },
      });
      expect(first.code).toBe(1);
      expect(first.stderr).toContain("killed after broadcast");
    } finally {
      real.close();
    }
    expect(pendingFiles()).toHaveLength(1);
    expect(await sentTo(h.devnet.deployment.contracts.hostEarnings, from)).toHaveLength(1); // it did go out
    expect(await usdcOf(cold)).toBe(0n);

    const again = await h.run(["withdraw", "--json"]); // no --yes needed: it was confirmed when it started
    expect(again.code).toBe(0);
    const result = again.json().data;
    expect(result.resumed).toBe(true);
    expect(result.withdrawn.usdc.raw).toBe(earned.toString());
    expect(await sentTo(h.devnet.deployment.contracts.hostEarnings, from)).toHaveLength(1);
    expect(await usdcOf(cold)).toBe(earned);
    expect(pendingFiles()).toHaveLength(0);
    expect(historyLines()).toHaveLength(1);
  });

  test("killed between the withdrawal and the sweep: the re-run sweeps once, and records it once", async () => {
    const earned = await earnUsdc(6000);
    const cold = Wallet.createRandom().address;
    const from = await h.devnet.provider.getBlockNumber();
    const config = resolveConfig(undefined, {}, { network: "local", deploymentFile: h.deploymentFile }).config as HostConfig;
    const real = connectChain(config);
    // The withdrawal is mined and recorded; the process dies as the sweep's transfer is about to be recorded.
    const first = await h
      .run(["withdraw", "--yes", "--token", "usdc", "--to", cold], {
        services: { connectChain: dyingAt(real, "after-plan", "sweep:", "killed before the sweep") },
      })
      .finally(() => real.close());
    expect(first.code).toBe(1);
    expect(await fn(h.asHost.hostEarnings, "getBalance")(h.host, h.usdc)).toBe(0n);
    expect(await usdcOf(cold)).toBe(0n);

    const status = (await h.run(["status", "--json"])).json().data; // status is unaffected
    expect(status.earnings.usdc.raw).toBe("0");

    const again = await h.run(["withdraw", "--yes", "--json"]);
    expect(again.code).toBe(0);
    expect(again.json().data.tx.reused).toBe(true);
    expect(await usdcOf(cold)).toBe(earned);
    expect(await sentTo(h.devnet.deployment.contracts.hostEarnings, from)).toHaveLength(1);
    expect(await sentTo(h.usdc, from)).toHaveLength(1);
    expect(historyLines()).toHaveLength(2);

    // Running it once more starts a new withdrawal, and there is nothing left to withdraw.
    const third = await h.run(["withdraw", "--yes"]);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain(HostLedgerErrors.NOTHING_TO_WITHDRAW.code);
    expect(existsSync(join(h.configDir, "state", "withdrawals.jsonl"))).toBe(true);
  });

  test("planned, then emptied some other way: the re-run sets the plan aside and says so, sending nothing", async () => {
    await earnUsdc(2000);
    const config = resolveConfig(undefined, {}, { network: "local", deploymentFile: h.deploymentFile }).config as HostConfig;
    const real = connectChain(config);
    // The plan is on disk; the process dies before the transaction layer opens (nothing of the withdrawal recorded there).
    const killedBeforeSending: HostServices["connectChain"] = () => ({
      ...real,
      close: () => {},
      sender: () => Promise.reject(new Error("killed before sending")),
    });
    const first = await h.run(["withdraw", "--yes"], { services: { connectChain: killedBeforeSending } }).finally(() => real.close());
    expect(first.code).toBe(1);
    expect(pendingFiles()).toHaveLength(1);
    await (await fn(h.asHost.hostEarnings, "withdrawAll")(h.usdc)).wait(); // e.g. from another tool
    const nonceBefore = await h.devnet.provider.getTransactionCount(h.host);

    const again = await h.run(["withdraw"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(HostLedgerErrors.WITHDRAWAL_ABANDONED.code);
    expect(again.stderr).toContain("No earnings to withdraw");
    expect(pendingFiles()).toHaveLength(0);
    expect(await h.devnet.provider.getTransactionCount(h.host)).toBe(nonceBefore);
  });
});
