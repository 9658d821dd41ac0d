/**
 * Every kind of session the live marketplace opens, and how it bills, on the devnet contracts. The rules are those of
 * fabstir-compute-contracts@faa3621 src/JobMarketplaceWithModelsUpgradeable.sol: `createSessionFromDepositForModel`
 * (pays from the sender's deposit balance), `createSessionForModelAsDelegate` (the payer, not the sender, is the
 * depositor), `_settleSessionPayments` (max(tokensUsed, proofInterval) billed once a proof exists; a depositor who
 * completes before any proof pays minTokensFee x price / 1000 to the host, without the treasury's cut).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZeroAddress, id as hashOf, type Contract, type TransactionReceipt } from "ethers";
import { openSessionAsDelegate, openSessionFromDeposit } from "../../../scripts/devnet/actions.ts";
import {
  DEFAULT_NATIVE_PRICE,
  DEFAULT_STABLE_PRICE,
  DEVNET_HOOK_TIMEOUT_MS,
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

const MIN_TOKENS_FEE = 500;

let devnet: TestDevnet;
let asHost: ReturnType<typeof devnetContracts>;
let asClient: ReturnType<typeof devnetContracts>;
let asDelegate: ReturnType<typeof devnetContracts>;
let client: string;
let delegate: string;
let host: string;
let usdc: string;

beforeAll(async () => {
  devnet = await startTestDevnet({ disputeWindow: 2, minTokensFee: MIN_TOKENS_FEE });
  const { accounts } = devnet.deployment;
  [client, delegate, host] = [accounts.client.address, accounts.deployer.address, accounts.host.address];
  asHost = devnetContracts(devnet.deployment, devnetWallet(accounts.host, devnet.provider));
  asClient = devnetContracts(devnet.deployment, devnetWallet(accounts.client, devnet.provider));
  asDelegate = devnetContracts(devnet.deployment, devnetWallet(accounts.deployer, devnet.provider));
  usdc = devnet.deployment.contracts.usdcToken;
  await registerHost(devnet.deployment, devnet.provider);
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => devnet?.stop());
revertAfterEach(() => devnet.rpcUrl);

const fn = (contract: Contract, name: string) => contract.getFunction(name);
const session = async (jobId: bigint) => fn(asHost.jobMarketplace, "sessionJobs")(jobId);
const eventNames = (receipt: TransactionReceipt) => receipt.logs.flatMap((log) => asHost.jobMarketplace.interface.parseLog(log)?.name ?? []);
const createReceipt = async (jobId: bigint) => {
  const [log] = await asHost.jobMarketplace.queryFilter(asHost.jobMarketplace.filters.SessionJobCreated!(jobId));
  return (await devnet.provider.getTransactionReceipt(log!.transactionHash))!;
};
let proofs = 0;
const prove = async (jobId: bigint, tokens: number) => {
  const s = await session(jobId);
  await setNextBlockTimestamp(devnet.rpcUrl, Number(s.lastProofTime) + 5);
  await (await fn(asHost.jobMarketplace, "submitProofOfWork")(jobId, tokens, hashOf(`kinds ${++proofs}`), "cid", "delta")).wait();
};
const credited = async (token: string) => (await fn(asHost.hostEarnings, "getBalance")(host, token)) as bigint;

describe("a session from a deposit", () => {
  test("takes the deposit from the sender's balance; SessionCreatedByDepositor between the two created events", async () => {
    const jobId = await openSessionFromDeposit(devnet.deployment, devnet.provider, { deposited: 3n * 10n ** 15n });
    const s = await session(jobId);
    expect([s.depositor, s.host, s.paymentToken, s.deposit]).toEqual([client, host, ZeroAddress, 10n ** 15n]);
    expect(await fn(asClient.jobMarketplace, "getDepositBalance")(client, ZeroAddress)).toBe(2n * 10n ** 15n);
    expect(eventNames(await createReceipt(jobId))).toEqual(["SessionJobCreated", "SessionCreatedByDepositor", "SessionJobCreatedForModel"]);
    expect(await fn(asHost.jobMarketplace, "hostSessions")(host, 0n)).toBe(jobId);
  });

  test("USDC from a token deposit; the refund goes back to the depositor's wallet", async () => {
    const jobId = await openSessionFromDeposit(devnet.deployment, devnet.provider, { token: "USDC", deposit: 1_000_000n });
    expect((await session(jobId)).paymentToken).toBe(usdc);
    expect(await fn(asClient.jobMarketplace, "getDepositBalance")(client, usdc)).toBe(0n);
    await prove(jobId, 200);
    const before = (await fn(asClient.usdcToken, "balanceOf")(client)) as bigint;
    await (await fn(asClient.jobMarketplace, "completeSessionJob")(jobId, "conv")).wait();
    const paid = (200n * DEFAULT_STABLE_PRICE) / 1000n;
    expect(((await fn(asClient.usdcToken, "balanceOf")(client)) as bigint) - before).toBe(1_000_000n - paid);
  });

  test("a balance short of the deposit, or none, reverts", async () => {
    await expectRevert(openSessionFromDeposit(devnet.deployment, devnet.provider, { deposited: 0n }), "Low balance");
    await expectRevert(openSessionFromDeposit(devnet.deployment, devnet.provider, { deposit: 10n ** 13n }), "Low deposit");
    await expectRevert(fn(asClient.jobMarketplace, "depositNative")({ value: 0n }), "Zero deposit");
  });
});

describe("a session opened by a delegate", () => {
  test("the payer is the depositor, the delegate only the sender; the payer's USDC is pulled", async () => {
    const before = (await fn(asClient.usdcToken, "balanceOf")(client)) as bigint;
    const jobId = await openSessionAsDelegate(devnet.deployment, devnet.provider, { deposit: 2_000_000n });
    const s = await session(jobId);
    expect([s.depositor, s.host, s.paymentToken, s.deposit]).toEqual([client, host, usdc, 2_000_000n]);
    expect(before - ((await fn(asClient.usdcToken, "balanceOf")(client)) as bigint)).toBe(2_000_000n);
    const receipt = await createReceipt(jobId);
    expect(eventNames(receipt)).toEqual(["SessionJobCreated", "SessionJobCreatedForModel", "SessionCreatedByDelegate"]);
    const byDelegate = asHost.jobMarketplace.interface.parseLog(receipt.logs.at(-1)!)!;
    expect([byDelegate.args.payer, byDelegate.args.delegate, byDelegate.args.host]).toEqual([client, delegate, host]);
    expect(await fn(asHost.jobMarketplace, "userSessions")(client, 0n)).toBe(jobId);
  });

  test("only an authorised delegate; the payer completes, the delegate cannot", async () => {
    const args = (payer: string) => [payer, devnet.deployment.models[0]!.id, host, usdc, 1_000_000n, DEFAULT_STABLE_PRICE, 3600, 100, 300];
    await expectRevert(fn(asDelegate.jobMarketplace, "createSessionForModelAsDelegate")(...args(client)), "Not delegate");
    await expectRevert(fn(asDelegate.jobMarketplace, "createSessionForModelAsDelegate")(...args(ZeroAddress)), "No payer");
    await expectRevert(fn(asClient.jobMarketplace, "authorizeDelegate")(client, true), "Self deleg");
    const jobId = await openSessionAsDelegate(devnet.deployment, devnet.provider);
    await expectRevert(fn(asDelegate.jobMarketplace, "completeSessionJob")(jobId, "c"), "Not depositor or host");
    await (await fn(asClient.jobMarketplace, "authorizeDelegate")(delegate, false)).wait();
    expect(await fn(asClient.jobMarketplace, "isDelegateAuthorized")(client, delegate)).toBe(false);
    await expectRevert(fn(asDelegate.jobMarketplace, "createSessionForModelAsDelegate")(...args(client)), "Not delegate");
  });
});

describe("billing", () => {
  test("a depositor who completes before any proof credits the host minTokensFee x price / 1000, untaxed, no ProofSubmitted", async () => {
    const before = await credited(ZeroAddress);
    const jobId = await openSession(devnet.deployment, devnet.provider);
    const receipt = await (await fn(asClient.jobMarketplace, "completeSessionJob")(jobId, "early")).wait();
    const fee = (BigInt(MIN_TOKENS_FEE) * DEFAULT_NATIVE_PRICE) / 1000n;
    expect((await credited(ZeroAddress)) - before).toBe(fee);
    expect(eventNames(receipt)).not.toContain("ProofSubmitted");
    const completedBy = receipt.logs
      .map((l: never) => asHost.jobMarketplace.interface.parseLog(l))
      .find((e: { name: string } | null) => e?.name === "SessionCompletedBy");
    expect([completedBy.args.tokensUsed, completedBy.args.paymentAmount]).toEqual([0n, 0n]);
    const s = await session(jobId);
    expect([s.withdrawnByHost, s.refundedToUser]).toEqual([fee, 10n ** 15n - fee]);
    expect(await fn(asHost.jobMarketplace, "accumulatedTreasuryNative")()).toBe(0n);
  });

  test("the early-cancel fee is capped at the deposit, and not charged on a timeout or when the host completes", async () => {
    // At 1e16 (10 ETH per thousand tokens) 0.001 ETH buys exactly 100 tokens: the 500-token fee is cut to the deposit.
    const capped = await openSession(devnet.deployment, devnet.provider, { deposit: 10n ** 15n, pricePerToken: 10n ** 16n, proofInterval: 100 });
    await (await fn(asClient.jobMarketplace, "completeSessionJob")(capped, "early")).wait();
    expect((await session(capped)).withdrawnByHost).toBe(10n ** 15n);
    const byHost = await openSession(devnet.deployment, devnet.provider);
    const s = await session(byHost);
    await setNextBlockTimestamp(devnet.rpcUrl, Number(s.startTime) + 3);
    await (await fn(asHost.jobMarketplace, "completeSessionJob")(byHost, "host")).wait();
    expect((await session(byHost)).withdrawnByHost).toBe(0n);
    const timedOut = await openSession(devnet.deployment, devnet.provider);
    await setNextBlockTimestamp(devnet.rpcUrl, Number((await session(timedOut)).startTime) + 301);
    await (await fn(asClient.jobMarketplace, "triggerSessionTimeout")(timedOut)).wait();
    expect((await session(timedOut)).withdrawnByHost).toBe(0n);
  });

  // max(tokensUsed, proofInterval) cannot exceed tokensUsed once "Low first" holds: a session with a proof is billed at
  // least its proofInterval, which is what the host's ledger calls minimum billing.
  test("with a proof, the settlement bills at least proofInterval: the first proof must cover it", async () => {
    const jobId = await openSessionFromDeposit(devnet.deployment, devnet.provider, { proofInterval: 300 });
    await expectRevert(prove(jobId, 299), "Low first");
    await prove(jobId, 300);
    await (await fn(asClient.jobMarketplace, "completeSessionJob")(jobId, "min")).wait();
    const gross = (300n * DEFAULT_NATIVE_PRICE) / 1000n;
    expect((await session(jobId)).withdrawnByHost).toBe(gross - gross / 10n);
  });
});
