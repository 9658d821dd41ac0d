import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZeroAddress, id as hashOf, type Contract } from "ethers";
import {
  DEVNET_HOOK_TIMEOUT_MS,
  DEFAULT_NATIVE_PRICE,
  devnetContracts,
  devnetWallet,
  expectRevert,
  mine,
  openSession,
  registerHost,
  revertAfterEach,
  setNextBlockTimestamp,
  startTestDevnet,
  type TestDevnet,
} from "../../helpers/devnet.ts";

const DISPUTE_WINDOW = 2;

let devnet: TestDevnet;
let asHost: ReturnType<typeof devnetContracts>;
let asClient: ReturnType<typeof devnetContracts>;
let asStranger: ReturnType<typeof devnetContracts>;
let models: string[];
let usdc: string;

beforeAll(async () => {
  devnet = await startTestDevnet({ disputeWindow: DISPUTE_WINDOW });
  const { accounts } = devnet.deployment;
  asHost = devnetContracts(devnet.deployment, devnetWallet(accounts.host, devnet.provider));
  asClient = devnetContracts(devnet.deployment, devnetWallet(accounts.client, devnet.provider));
  asStranger = devnetContracts(devnet.deployment, devnetWallet(accounts.deployer, devnet.provider));
  models = devnet.deployment.models.map((m) => m.id);
  usdc = devnet.deployment.contracts.usdcToken;
  await registerHost(devnet.deployment, devnet.provider, { modelIds: models, setPrices: false });
  // Priced: model 0 in ETH and USDC. Model 1 stays unpriced.
  await (await asHost.nodeRegistry.getFunction("setModelTokenPricing")(models[0], ZeroAddress, DEFAULT_NATIVE_PRICE)).wait();
  await (await asHost.nodeRegistry.getFunction("setModelTokenPricing")(models[0], usdc, 5000n)).wait();
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => devnet?.stop());
revertAfterEach(() => devnet.rpcUrl);

const fn = (contract: Contract, name: string) => contract.getFunction(name);
const session = async (jobId: bigint) => fn(asHost.jobMarketplace, "sessionJobs")(jobId);
let proofCount = 0;
/** Submits a proof in a block exactly `afterSeconds` after the previous proof (or the start). */
const prove = async (jobId: bigint, tokens: number, afterSeconds: number, from = asHost) => {
  const s = await session(jobId);
  await setNextBlockTimestamp(devnet.rpcUrl, Number(s.lastProofTime) + afterSeconds);
  const proofHash = hashOf(`proof ${++proofCount}`);
  return (await fn(from.jobMarketplace, "submitProofOfWork")(jobId, tokens, proofHash, `bafyproof${proofCount}`, `bafydelta${proofCount}`)).wait();
};

describe("session creation", () => {
  test("ETH session records the 18 fields, the model and the host's session list", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider, { deposit: 10n ** 15n, proofInterval: 100, proofTimeoutWindow: 120 });
    const s = await session(jobId);
    expect(s.length).toBe(18);
    expect([s.id, s.depositor, s.host, s.paymentToken, s.deposit, s.pricePerToken, s.tokensUsed, s.status]).toEqual([
      jobId,
      devnet.deployment.accounts.client.address,
      devnet.deployment.accounts.host.address,
      ZeroAddress,
      10n ** 15n,
      DEFAULT_NATIVE_PRICE,
      0n,
      0n,
    ]);
    expect([s.proofInterval, s.proofTimeoutWindow, s.startTime]).toEqual([100n, 120n, s.lastProofTime]);
    expect(await fn(asHost.jobMarketplace, "sessionModel")(jobId)).toBe(models[0]);
    expect(await fn(asHost.jobMarketplace, "hostSessions")(devnet.deployment.accounts.host.address, 0n)).toBe(jobId);
    expect(await fn(asHost.jobMarketplace, "nextJobId")()).toBe(jobId + 1n);
  });

  test("USDC session pulls the deposit", async () => {
    const before = (await fn(asClient.usdcToken, "balanceOf")(devnet.deployment.accounts.client.address)) as bigint;
    const jobId = await openSession(devnet.deployment, devnet.provider, { token: "USDC", deposit: 3_000_000n, pricePerToken: 5000n });
    const s = await session(jobId);
    expect([s.paymentToken, s.deposit]).toEqual([usdc, 3_000_000n]);
    expect(before - ((await fn(asClient.usdcToken, "balanceOf")(devnet.deployment.accounts.client.address)) as bigint)).toBe(3_000_000n);
  });

  test("a (model, token) pair the host did not price reverts", async () => {
    await expectRevert(openSession(devnet.deployment, devnet.provider, { modelId: models[1] }), "No model pricing");
    await expectRevert(openSession(devnet.deployment, devnet.provider, { modelId: models[1], token: "USDC" }), "No model pricing");
  });

  test("price, model, host and parameter checks", async () => {
    const open = (o: Parameters<typeof openSession>[2]) => openSession(devnet.deployment, devnet.provider, o);
    await expectRevert(open({ pricePerToken: DEFAULT_NATIVE_PRICE - 1n }), "Low price");
    await expectRevert(open({ token: "USDC", pricePerToken: 4999n }), "Low price");
    await expectRevert(open({ modelId: hashOf("not a model") }), "Bad model");
    await expectRevert(open({ host: devnet.deployment.accounts.client.address }), "No host reg");
    await expectRevert(open({ deposit: 10n ** 13n }), "Low deposit");
    await expectRevert(open({ proofTimeoutWindow: 30 }), "Bad timeout");
    await expectRevert(open({ proofInterval: 99 }), "Low interval");
    await expectRevert(open({ token: "USDC", deposit: 100_000n }), "Low deposit");
  });
});

describe("proofs", () => {
  test("the host proves tokens; ProofSubmitted carries the CIDs", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider, { proofInterval: 100 });
    const receipt = await prove(jobId, 1000, 1);
    const event = asHost.jobMarketplace.interface.parseLog(receipt.logs.at(-1));
    expect(event?.name).toBe("ProofSubmitted");
    expect([event?.args.jobId, event?.args.host, event?.args.tokensClaimed]).toEqual([jobId, devnet.deployment.accounts.host.address, 1000n]);
    expect(event?.args.proofCID).toMatch(/^bafyproof/);
    expect(event?.args.deltaCID).toMatch(/^bafydelta/);
    const s = await session(jobId);
    expect([s.tokensUsed, s.lastProofHash, s.lastProofCID]).toEqual([1000n, event?.args.proofHash, event?.args.proofCID]);
    const submission = await fn(asHost.jobMarketplace, "getProofSubmission")(jobId, 0n);
    expect([submission.tokensClaimed, submission.verified, submission.deltaCID]).toEqual([1000n, true, event?.args.deltaCID]);
  });

  test("only the session's host may prove", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider);
    await mine(devnet.rpcUrl, 5);
    await expectRevert(fn(asClient.jobMarketplace, "submitProofOfWork")(jobId, 200, hashOf("x"), "cid", ""), "Not host");
  });

  test("at least MIN_PROVEN_TOKENS, and the first proof covers the proof interval", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider, { proofInterval: 500 });
    await mine(devnet.rpcUrl, 5);
    const submit = fn(asHost.jobMarketplace, "submitProofOfWork");
    await expectRevert(submit(jobId, 99, hashOf("a"), "cid", ""), "Min tokens");
    await expectRevert(submit(jobId, 400, hashOf("b"), "cid", ""), "Low first");
    expect(await fn(asHost.jobMarketplace, "MIN_PROVEN_TOKENS")()).toBe(100n);
  });

  test("at most 2000 tokens per second since the last proof", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider);
    await expectRevert(prove(jobId, 2001, 1), "Too many");
    await prove(jobId, 2000, 1);
    await expectRevert(prove(jobId, 6001, 3), "Too many");
    await prove(jobId, 6000, 3);
    expect((await session(jobId)).tokensUsed).toBe(8000n);
  });

  test("zero seconds since the last proof allows nothing", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider);
    await expectRevert(prove(jobId, 100, 0), "Too many"); // same second as the session start
    await prove(jobId, 100, 1);
    await expectRevert(prove(jobId, 100, 0), "Too many"); // same second as the last proof
  });

  test("claims beyond the deposit and replayed proof hashes are refused", async () => {
    // 0.0001 ETH at 3e-6 ETH per token (price 3e12 = wei x 1000) pays for 33,333 tokens.
    const jobId = await openSession(devnet.deployment, devnet.provider, { deposit: 10n ** 14n, pricePerToken: 3n * 10n ** 12n });
    await expectRevert(prove(jobId, 33_334, 20), "Over dep");
    await prove(jobId, 33_333, 20);
    const s = await session(jobId);
    await setNextBlockTimestamp(devnet.rpcUrl, Number(s.lastProofTime) + 10);
    await expectRevert(fn(asHost.jobMarketplace, "submitProofOfWork")(jobId, 100, s.lastProofHash, "", ""), "Over dep");
  });

  test("a proof hash can be used once", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider);
    await prove(jobId, 500, 1);
    const s = await session(jobId);
    await setNextBlockTimestamp(devnet.rpcUrl, Number(s.lastProofTime) + 1);
    await expectRevert(fn(asHost.jobMarketplace, "submitProofOfWork")(jobId, 500, s.lastProofHash, "", ""), "Proof already used");
  });

  test("no proofs on a finished session", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider);
    await (await fn(asClient.jobMarketplace, "completeSessionJob")(jobId, "bafyconv")).wait();
    await mine(devnet.rpcUrl, 5);
    await expectRevert(fn(asHost.jobMarketplace, "submitProofOfWork")(jobId, 500, hashOf("late"), "", ""), "Not active");
  });
});

describe("sessionJobs encoding", () => {
  // The getter is encoded by hand in the contract: strings of every padding case must survive.
  for (const [label, proofCID, conversationCID] of [
    ["empty strings", "", ""],
    ["exactly 32 bytes", "b".repeat(32), "c".repeat(64)],
    ["odd lengths", "bafy".repeat(9), "x".repeat(33)],
  ] as const) {
    test(label, async () => {
      const jobId = await openSession(devnet.deployment, devnet.provider);
      const s0 = await session(jobId);
      await setNextBlockTimestamp(devnet.rpcUrl, Number(s0.startTime) + 1);
      const proofHash = hashOf(`encoding ${label}`);
      await (await fn(asHost.jobMarketplace, "submitProofOfWork")(jobId, 500, proofHash, proofCID, "delta")).wait();
      await (await fn(asClient.jobMarketplace, "completeSessionJob")(jobId, conversationCID)).wait();
      const s = await session(jobId);
      expect([s.conversationCID, s.lastProofHash, s.lastProofCID, s.tokensUsed, s.status]).toEqual([conversationCID, proofHash, proofCID, 500n, 1n]);
      expect(s.refundedToUser + (500n * DEFAULT_NATIVE_PRICE) / 1000n).toBe(s.deposit);
    });
  }
});

describe("settlement", () => {
  test("the host completes only after the dispute window; the depositor at any time", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider);
    await prove(jobId, 1000, 1);
    const complete = fn(asHost.jobMarketplace, "completeSessionJob");
    await expectRevert(complete(jobId, "bafyconv"), "Dispute wait");
    await expectRevert(fn(asStranger.jobMarketplace, "completeSessionJob")(jobId, "bafyconv"), "Not depositor or host");
    expect(await fn(asHost.jobMarketplace, "disputeWindow")()).toBe(BigInt(DISPUTE_WINDOW));
    await mine(devnet.rpcUrl, DISPUTE_WINDOW);
    const receipt = await (await complete(jobId, "bafyconv")).wait();
    const names = receipt.logs
      .filter((l: { address: string }) => l.address === devnet.deployment.contracts.jobMarketplace)
      .map((l: never) => asHost.jobMarketplace.interface.parseLog(l)?.name);
    expect(names).toEqual(["SessionCompleted", "SessionCompletedBy"]);
    const s = await session(jobId);
    expect([s.status, s.conversationCID]).toEqual([1n, "bafyconv"]);
    await expectRevert(complete(jobId, "again"), "Not active");

    const second = await openSession(devnet.deployment, devnet.provider);
    await (await fn(asClient.jobMarketplace, "completeSessionJob")(second, "")).wait();
    expect((await session(second)).status).toBe(1n);
  });

  test("anyone triggers a timeout once proofs are overdue or the session ran out of time", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider, { proofTimeoutWindow: 60, maxDuration: 3600 });
    await prove(jobId, 1000, 1);
    const timeout = fn(asStranger.jobMarketplace, "triggerSessionTimeout");
    await expectRevert(timeout(jobId), "Not timeout");
    await mine(devnet.rpcUrl, 61);
    const receipt = await (await timeout(jobId)).wait();
    const last = asHost.jobMarketplace.interface.parseLog(receipt.logs.at(-1));
    const hostPayment = (1000n * DEFAULT_NATIVE_PRICE) / 1000n;
    expect([last?.name, last?.args.hostEarnings, last?.args.userRefund]).toEqual([
      "SessionTimedOut",
      hostPayment - hostPayment / 10n,
      10n ** 15n - hostPayment,
    ]);
    expect((await session(jobId)).status).toBe(2n);

    const long = await openSession(devnet.deployment, devnet.provider, { proofTimeoutWindow: 3600, maxDuration: 30 });
    await mine(devnet.rpcUrl, 31);
    await (await timeout(long)).wait();
    expect((await session(long)).status).toBe(2n);
  });
});
