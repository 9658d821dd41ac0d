/**
 * A fresh Fabstir devnet per test file: anvil on a free port with every contract deployed.
 *
 *   let devnet: TestDevnet;
 *   beforeAll(async () => { devnet = await startTestDevnet(); }, DEVNET_HOOK_TIMEOUT_MS);
 *   afterAll(() => devnet?.stop());
 *
 * Start + deploy takes about 0.2 s once the contracts are compiled; the very first compile on
 * a machine (no .devnet/artifacts cache yet) takes 5-10 s, more than bun's default 5 s hook
 * timeout, hence DEVNET_HOOK_TIMEOUT_MS. `bun scripts/devnet/compile.ts` warms the cache.
 */
import { afterEach, beforeEach, expect } from "bun:test";
import type { JsonRpcProvider } from "ethers";
import { devnetProvider } from "../../scripts/devnet/actions.ts";
import { startAnvil, type AnvilHandle, type AnvilOptions } from "../../scripts/devnet/anvil.ts";
import { deployFabstir, type DeployOptions } from "../../scripts/devnet/deploy.ts";
import { revertReasonOf } from "../../scripts/devnet/errors.ts";
import { rpc } from "../../scripts/devnet/rpc.ts";
import type { Deployment } from "../../scripts/devnet/types.ts";

export {
  DEFAULT_NATIVE_PRICE,
  DEFAULT_STABLE_PRICE,
  devnetContracts,
  devnetProvider,
  devnetWallet,
  openSession,
  registerHost,
} from "../../scripts/devnet/actions.ts";
export { decodeRevertData, revertReasonOf } from "../../scripts/devnet/errors.ts";
export type { Deployment } from "../../scripts/devnet/types.ts";

/** Timeout for the beforeAll that starts a devnet (covers a cold compile). */
export const DEVNET_HOOK_TIMEOUT_MS = 120_000;

export interface TestDevnetOptions extends DeployOptions {
  blockTime?: AnvilOptions["blockTime"];
  noMining?: AnvilOptions["noMining"];
}

export interface TestDevnet {
  rpcUrl: string;
  deployment: Deployment;
  anvil: AnvilHandle;
  /** An ethers provider for this chain (destroyed by stop()). */
  provider: JsonRpcProvider;
  stop(): Promise<void>;
}

export async function startTestDevnet(opts: TestDevnetOptions = {}): Promise<TestDevnet> {
  const anvil = await startAnvil({ blockTime: opts.blockTime, noMining: opts.noMining });
  try {
    if (opts.noMining) await rpc(anvil.rpcUrl, "evm_setAutomine", [true]); // deploy needs mined blocks
    const deployment = await deployFabstir(anvil.rpcUrl, opts);
    if (opts.noMining) await rpc(anvil.rpcUrl, "evm_setAutomine", [false]);
    const provider = devnetProvider(anvil.rpcUrl);
    let stopped = false;
    return {
      rpcUrl: anvil.rpcUrl,
      deployment,
      anvil,
      provider,
      async stop() {
        if (stopped) return;
        stopped = true;
        provider.destroy();
        await anvil.stop();
      },
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

/** Moves the chain clock forward; the next mined block carries the new time. */
export async function increaseTime(rpcUrl: string, seconds: number): Promise<void> {
  await rpc(rpcUrl, "evm_increaseTime", [seconds]);
}

/** Moves the clock forward by `seconds` (default 0) and mines one block. */
export async function mine(rpcUrl: string, seconds = 0): Promise<void> {
  if (seconds > 0) await increaseTime(rpcUrl, seconds);
  await rpc(rpcUrl, "evm_mine", []);
}

/** The timestamp the next block will carry (must be later than the latest block's). */
export async function setNextBlockTimestamp(rpcUrl: string, timestamp: number | bigint): Promise<void> {
  await rpc(rpcUrl, "evm_setNextBlockTimestamp", [Number(timestamp)]);
}

export async function latestTimestamp(rpcUrl: string): Promise<number> {
  const block = await rpc<{ timestamp: string }>(rpcUrl, "eth_getBlockByNumber", ["latest", false]);
  return Number(BigInt(block.timestamp));
}

/** Saves the chain state; revert(rpcUrl, id) returns to it (each id can be used once). */
export async function snapshot(rpcUrl: string): Promise<string> {
  return rpc<string>(rpcUrl, "evm_snapshot", []);
}

export async function revert(rpcUrl: string, snapshotId: string): Promise<void> {
  const ok = await rpc<boolean>(rpcUrl, "evm_revert", [snapshotId]);
  if (!ok) throw new Error(`evm_revert to ${snapshotId} failed`);
}

/** Every test of the calling file starts from the chain as the file's setup left it: a snapshot before, a revert after. */
export function revertAfterEach(rpcUrl: () => string): void {
  let snap: string;
  beforeEach(async () => {
    snap = await snapshot(rpcUrl());
  });
  afterEach(async () => {
    await revert(rpcUrl(), snap);
  });
}

/** Expects `action` to revert with this require string or custom error name. */
export async function expectRevert(action: Promise<unknown> | (() => Promise<unknown>), reason: string): Promise<void> {
  let outcome: unknown = "no revert";
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    outcome = revertReasonOf(error) ?? (error as Error).message;
  }
  expect(outcome).toBe(reason);
}
