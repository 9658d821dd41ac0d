/**
 * On-chain mode against the devnet: with a host key, an RPC and the
 * marketplace address, the stand-in submits its checkpoint proofs itself and
 * completes the session after its socket closes, like the real node.
 *
 * Runs once the devnet test helper exists (tests/helpers/devnet.ts).
 */
import { describe, expect, test } from "bun:test";
import { Contract, JsonRpcProvider, Network, Wallet, ZeroAddress } from "ethers";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FrameClient, makeModelDir, repoRoot, runPrompt, startSim } from "./harness.ts";

const devnetHelper = join(repoRoot, "tests", "helpers", "devnet.ts");
const haveDevnet = existsSync(devnetHelper);

interface TestDevnet {
  rpcUrl: string;
  deployment: {
    chainId?: number;
    contracts: { jobMarketplace: string; nodeRegistry: string; hostEarnings: string; fabToken: string };
    accounts: { host: { address: string; privateKey: string }; client: { address: string; privateKey: string } };
    models: { id: string; repo: string; file: string }[];
    disputeWindow: number;
  };
  stop(): Promise<void> | void;
}

const ERC20_ABI = ["function approve(address spender, uint256 amount) returns (bool)"];
const REGISTRY_ABI = [
  "function MIN_STAKE() view returns (uint256)",
  "function registerNode(string metadata, string apiUrl, bytes32[] modelIds, uint256 minPricePerTokenNative, uint256 minPricePerTokenStable)",
  "function setModelTokenPricing(bytes32 modelId, address token, uint256 price)",
  "function updateApiUrl(string newApiUrl)",
];
const MARKETPLACE_ABI = [
  "function createSessionJobForModel(address host, bytes32 modelId, uint256 pricePerToken, uint256 maxDuration, uint256 proofInterval, uint256 proofTimeoutWindow) payable returns (uint256 jobId)",
  "function sessionJobs(uint256) view returns (uint256 id, address depositor, address host, address paymentToken, uint256 deposit, uint256 pricePerToken, uint256 tokensUsed, uint256 maxDuration, uint256 startTime, uint256 lastProofTime, uint256 proofInterval, uint256 proofTimeoutWindow, uint8 status, uint256 withdrawnByHost, uint256 refundedToUser, string conversationCID, bytes32 lastProofHash, string lastProofCID)",
  "event SessionJobCreatedForModel(uint256 indexed jobId, address indexed depositor, address indexed host, bytes32 modelId, uint256 deposit)",
  "event ProofSubmitted(uint256 indexed jobId, address indexed host, uint256 tokensClaimed, bytes32 proofHash, string proofCID, string deltaCID)",
];
const EARNINGS_ABI = ["function getBalance(address host, address token) view returns (uint256)"];

/** 0.001 ETH per 1000 tokens, in wei × PRICE_PRECISION per token: inside the native bounds. */
const NATIVE_PRICE = 1_000_000n;

describe("node stand-in on chain", () => {
  test.skipIf(!haveDevnet)(
    "submits checkpoint proofs and completes the session after the socket closes",
    async () => {
      const { startTestDevnet } = (await import(devnetHelper)) as {
        startTestDevnet(opts?: { disputeWindow?: number }): Promise<TestDevnet>;
      };
      // A short dispute window keeps the wait before completeSessionJob to a couple of seconds.
      const devnet = await startTestDevnet({ disputeWindow: 2 });
      const model = makeModelDir();
      let sim: Awaited<ReturnType<typeof startSim>> | undefined;
      let client: FrameClient | undefined;
      const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.deployment.chainId ?? 31337), {
        staticNetwork: true,
        pollingInterval: 100,
        // No read cache: a cached pending nonce right after a mined transaction is stale.
        cacheTimeout: -1,
      });
      try {
        const { contracts, accounts, models } = devnet.deployment;
        const modelId = models[0]?.id;
        if (!modelId) throw new Error("the devnet has no model");
        const host = new Wallet(accounts.host.privateKey, provider);
        const depositor = new Wallet(accounts.client.privateKey, provider);
        const registry = new Contract(contracts.nodeRegistry, REGISTRY_ABI, host);
        const marketplace = new Contract(contracts.jobMarketplace, MARKETPLACE_ABI, depositor);

        // Host setup: stake, register, price the model in ETH.
        const minStake = (await registry.getFunction("MIN_STAKE")()) as bigint;
        await (await new Contract(contracts.fabToken, ERC20_ABI, host).getFunction("approve")(contracts.nodeRegistry, minStake)).wait();
        const metadata = JSON.stringify({ hardware: { gpu: "simulated", vram: 24 }, publicKey: host.signingKey.compressedPublicKey.slice(2) });
        await (await registry.getFunction("registerNode")(metadata, "http://127.0.0.1:1", [modelId], 227_273n, 1n)).wait();
        await (await registry.getFunction("setModelTokenPricing")(modelId, ZeroAddress, NATIVE_PRICE)).wait();

        // Client opens a session: proofs every 100 tokens.
        const receipt = await (
          await marketplace.getFunction("createSessionJobForModel")(host.address, modelId, NATIVE_PRICE, 3600n, 100n, 300n, {
            value: 10n ** 16n,
          })
        ).wait();
        const created = receipt.logs
          .map((log: { topics: string[]; data: string }) => marketplace.interface.parseLog(log))
          .find((parsed: { name: string } | null) => parsed?.name === "SessionJobCreatedForModel");
        const jobId = String(created.args.jobId);

        sim = await startSim({
          MODEL_PATH: model.modelPath,
          RPC_URL: devnet.rpcUrl,
          CHAIN_ID: String(devnet.deployment.chainId ?? 31337),
          CONTRACT_JOB_MARKETPLACE: contracts.jobMarketplace,
          CONTRACT_NODE_REGISTRY: contracts.nodeRegistry,
          CONTRACT_HOST_EARNINGS: contracts.hostEarnings,
          HOST_PRIVATE_KEY: accounts.host.privateKey,
          SIM_CHECKPOINT_INTERVAL: "100",
          SIM_TOKENS_PER_PROMPT: "250",
          SIM_TOKEN_DELAY_MS: "0",
          SIM_SETTLE_TIMEOUT_MS: "60000",
        });
        const sessionId = `onchain-${Date.now()}`;
        client = await FrameClient.connect(sim.port);
        client.send({ type: "session_init", session_id: sessionId, job_id: jobId, chain_id: devnet.deployment.chainId ?? 31337 });
        await client.waitFor((frame) => frame.type === "session_init_ack");
        expect((await runPrompt(client, sessionId, "prove me")).tokens_used).toBe(250);

        // Sign with the same key meanwhile: the stand-in must survive the nonce race.
        await (await registry.getFunction("updateApiUrl")(`http://127.0.0.1:${sim.port}`)).wait();
        await client.close();

        await sim.waitForOutput(new RegExp(`Session job ${jobId} completed`), 60_000);
        const job = await marketplace.getFunction("sessionJobs")(BigInt(jobId));
        expect(Number(job.status)).toBe(1);
        expect(job.tokensUsed).toBe(200n);
        // The real node's placeholder conversation CID (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:1637).
        expect(job.conversationCID).toBe(`session_job_${jobId}_completed`);

        const index = (await (await fetch(`${sim.baseUrl}/v1/checkpoints/${sessionId}`)).json()) as {
          checkpoints: { proofHash: string; tokenRange: [number, number] }[];
        };
        const proofs = (await marketplace.queryFilter(marketplace.filters.ProofSubmitted!(BigInt(jobId)))).map((event) =>
          "args" in event ? event.args : undefined,
        );
        expect(proofs.map((args) => [args?.proofHash, Number(args?.tokensClaimed)])).toEqual(
          index.checkpoints.map((checkpoint) => [checkpoint.proofHash, checkpoint.tokenRange[1] - checkpoint.tokenRange[0]]),
        );
        expect(index.checkpoints).toHaveLength(2);

        const earnings = new Contract(contracts.hostEarnings, EARNINGS_ABI, provider);
        expect((await earnings.getFunction("getBalance")(host.address, ZeroAddress)) as bigint).toBeGreaterThan(0n);
        expect(sim.output()).toMatch(/📤 Submitted proof for job \d+ checkpoint 0 \(100 tokens\): tx 0x[0-9a-f]{64}/);
        expect(sim.output().toLowerCase()).not.toContain(accounts.host.privateKey.replace(/^0x/, "").toLowerCase());
      } finally {
        await client?.close();
        await sim?.kill();
        provider.destroy();
        await devnet.stop();
        model.cleanup();
      }
    },
    120_000,
  );
});
