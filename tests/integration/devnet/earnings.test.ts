import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZeroAddress, id as hashOf, type Contract, type TransactionReceipt } from "ethers";
import {
  DEVNET_HOOK_TIMEOUT_MS,
  DEFAULT_NATIVE_PRICE,
  DEFAULT_STABLE_PRICE,
  devnetContracts,
  devnetWallet,
  expectRevert,
  openSession,
  registerHost,
  revertAfterEach,
  setNextBlockTimestamp,
  startTestDevnet,
  type TestDevnet,
} from "../../helpers/devnet.ts";

let devnet: TestDevnet;
let asHost: ReturnType<typeof devnetContracts>;
let asClient: ReturnType<typeof devnetContracts>;
let hostAddress: string;
let clientAddress: string;
let usdc: string;

beforeAll(async () => {
  devnet = await startTestDevnet({ disputeWindow: 1 });
  const { accounts } = devnet.deployment;
  asHost = devnetContracts(devnet.deployment, devnetWallet(accounts.host, devnet.provider));
  asClient = devnetContracts(devnet.deployment, devnetWallet(accounts.client, devnet.provider));
  hostAddress = accounts.host.address;
  clientAddress = accounts.client.address;
  usdc = devnet.deployment.contracts.usdcToken;
  await registerHost(devnet.deployment, devnet.provider);
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => devnet?.stop());
revertAfterEach(() => devnet.rpcUrl);

const fn = (contract: Contract, name: string) => contract.getFunction(name);
const balance = (token: string, who: string): Promise<bigint> =>
  token === ZeroAddress ? devnet.provider.getBalance(who) : (fn(asHost.usdcToken, "balanceOf")(who) as Promise<bigint>);
const gasCost = (receipt: TransactionReceipt): bigint => receipt.gasUsed * receipt.gasPrice;
const earnings = (token: string) => fn(asHost.hostEarnings, "getBalance")(hostAddress, token) as Promise<bigint>;

/** A session with `tokens` proven, completed by the depositor; returns what settlement paid. */
async function settledSession(token: "ETH" | "USDC", tokens: number) {
  const jobId = await openSession(devnet.deployment, devnet.provider, { token });
  const s = await fn(asHost.jobMarketplace, "sessionJobs")(jobId);
  await setNextBlockTimestamp(devnet.rpcUrl, Number(s.startTime) + 100); // 100 s allow up to 200,000 tokens
  await (await fn(asHost.jobMarketplace, "submitProofOfWork")(jobId, tokens, hashOf(`p${jobId}`), "cid", "")).wait();
  const tokenAddress = token === "ETH" ? ZeroAddress : usdc;
  const clientBefore = await balance(tokenAddress, clientAddress);
  const tx = await fn(asClient.jobMarketplace, "completeSessionJob")(jobId, "bafyconv");
  const receipt = (await tx.wait()) as TransactionReceipt;
  const gas = token === "ETH" ? gasCost(receipt) : 0n;
  const refundSeen = (await balance(tokenAddress, clientAddress)) - clientBefore + gas;
  return { jobId, receipt, deposit: s.deposit as bigint, price: s.pricePerToken as bigint, refundSeen };
}

describe("90/10 settlement", () => {
  test("ETH: 90% of proven work credited to the host, 10% kept for the treasury, the rest refunded", async () => {
    const { deposit, price, refundSeen, receipt } = await settledSession("ETH", 10_000);
    const payment = (10_000n * price) / 1000n;
    const fee = payment / 10n;
    expect(price).toBe(DEFAULT_NATIVE_PRICE);
    expect(await earnings(ZeroAddress)).toBe(payment - fee);
    expect(await fn(asHost.jobMarketplace, "accumulatedTreasuryNative")()).toBe(fee);
    expect(refundSeen).toBe(deposit - payment);
    expect(await devnet.provider.getBalance(devnet.deployment.contracts.hostEarnings)).toBe(payment - fee);

    const credited = receipt.logs.filter((l) => l.address === devnet.deployment.contracts.hostEarnings).map((l) => asHost.hostEarnings.interface.parseLog(l)!);
    expect(credited.map((e) => e.name)).toEqual(["EarningsCredited"]);
    const args = credited[0]!.args;
    expect([args.host, args.token, args.amount, args.newBalance]).toEqual([hostAddress, ZeroAddress, payment - fee, payment - fee]);
    expect(await fn(asHost.hostEarnings, "totalAccumulated")(ZeroAddress)).toBe(payment - fee);
  });

  test("USDC: the same split in token units", async () => {
    const { deposit, price, refundSeen } = await settledSession("USDC", 200_000);
    const payment = (200_000n * price) / 1000n; // 200k tokens at $5/M = $1 = 1,000,000 units
    expect([price, payment]).toEqual([DEFAULT_STABLE_PRICE, 1_000_000n]);
    expect(await earnings(usdc)).toBe(900_000n);
    expect(await fn(asHost.jobMarketplace, "accumulatedTreasuryTokens")(usdc)).toBe(100_000n);
    expect(refundSeen).toBe(deposit - payment);
    expect(await fn(asHost.usdcToken, "balanceOf")(devnet.deployment.contracts.hostEarnings)).toBe(900_000n);
    expect(await fn(asHost.hostEarnings, "getBalances")(hostAddress, [ZeroAddress, usdc])).toEqual([0n, 900_000n]);
  });

  test("only the marketplace may credit earnings", async () => {
    await expectRevert(fn(asHost.hostEarnings, "creditEarnings")(hostAddress, 1n, ZeroAddress), "Not authorized to credit earnings");
  });
});

describe("withdrawals", () => {
  test("withdraw part, then withdrawAll the rest", async () => {
    await settledSession("USDC", 200_000);
    const before = await balance(usdc, hostAddress);
    const partial = await (await fn(asHost.hostEarnings, "withdraw")(400_000n, usdc)).wait();
    const event = asHost.hostEarnings.interface.parseLog(partial.logs.at(-1));
    expect([event?.name, event?.args.amount, event?.args.remainingBalance]).toEqual(["EarningsWithdrawn", 400_000n, 500_000n]);
    await expectRevert(fn(asHost.hostEarnings, "withdraw")(500_001n, usdc), "Insufficient earnings");
    await (await fn(asHost.hostEarnings, "withdrawAll")(usdc)).wait();
    expect((await balance(usdc, hostAddress)) - before).toBe(900_000n);
    expect(await earnings(usdc)).toBe(0n);
    expect(await fn(asHost.hostEarnings, "totalWithdrawn")(usdc)).toBe(900_000n);
  });

  test("withdrawMultiple empties every listed token in one transaction", async () => {
    await settledSession("ETH", 10_000);
    await settledSession("USDC", 200_000);
    const eth = await earnings(ZeroAddress);
    const ethBefore = await devnet.provider.getBalance(hostAddress);
    const usdcBefore = await balance(usdc, hostAddress);
    const receipt = (await (await fn(asHost.hostEarnings, "withdrawMultiple")([ZeroAddress, usdc])).wait()) as TransactionReceipt;
    const names = receipt.logs
      .filter((l) => l.address === devnet.deployment.contracts.hostEarnings)
      .map((l) => asHost.hostEarnings.interface.parseLog(l)?.name);
    expect(names).toEqual(["EarningsWithdrawn", "EarningsWithdrawn"]);
    expect((await devnet.provider.getBalance(hostAddress)) - ethBefore + gasCost(receipt)).toBe(eth);
    expect((await balance(usdc, hostAddress)) - usdcBefore).toBe(900_000n);
    expect(await fn(asHost.hostEarnings, "getBalances")(hostAddress, [ZeroAddress, usdc])).toEqual([0n, 0n]);
  });

  test("nothing to withdraw reverts", async () => {
    await expectRevert(fn(asHost.hostEarnings, "withdrawAll")(ZeroAddress), "No earnings to withdraw");
    await expectRevert(fn(asHost.hostEarnings, "withdraw")(1n, usdc), "Insufficient earnings");
    await expectRevert(fn(asHost.hostEarnings, "withdraw")(0n, usdc), "Amount must be positive");
  });
});
