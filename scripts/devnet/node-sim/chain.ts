/**
 * On-chain mode: with HOST_PRIVATE_KEY, RPC_URL and CONTRACT_JOB_MARKETPLACE
 * set, the real node signs and submits its own checkpoint proofs and settles
 * each session when its socket closes. The stand-in does the same, so the
 * host's proof pipeline meets a node that competes for the same nonce and
 * whose proofs show up as chain events.
 *
 * Work is ordered per job (proofs in checkpoint order, then settlement), while
 * sends from all jobs share one lock so this process never reuses a nonce.
 */
import { Contract, JsonRpcProvider, Network, Wallet, ZeroAddress } from "ethers";
import { MIN_PROVEN_TOKENS, type ChainSettings } from "./config.ts";
import type { SimLog } from "./log.ts";
import type { SimMetrics } from "./metrics.ts";
import type { Checkpoint, Session } from "./sessions.ts";
import { conversationCid } from "./proof-ids.ts";
import { Aborted, SendLock, isRevert, sendWithFreshNonce, shortError, sleep } from "./chain-tx.ts";

const MARKETPLACE_ABI = [
  "function submitProofOfWork(uint256 jobId, uint256 tokensClaimed, bytes32 proofHash, string proofCID, string deltaCID)",
  "function completeSessionJob(uint256 jobId, string conversationCID)",
  "function disputeWindow() view returns (uint256)",
  "function sessionJobs(uint256) view returns (uint256 id, address depositor, address host, address paymentToken, uint256 deposit, uint256 pricePerToken, uint256 tokensUsed, uint256 maxDuration, uint256 startTime, uint256 lastProofTime, uint256 proofInterval, uint256 proofTimeoutWindow, uint8 status, uint256 withdrawnByHost, uint256 refundedToUser, string conversationCID, bytes32 lastProofHash, string lastProofCID)",
];

/** The contract's rate ceiling: tokens claimed per second since the previous proof. */
const MAX_TOKENS_PER_SECOND = 2000;
/** A revert right at a time boundary is retried this many times, a second apart. */
const REVERT_RETRIES = 5;
const SESSION_ACTIVE = 0;

interface JobState {
  host: string;
  startTime: number;
  lastProofTime: number;
  status: number;
}

export class ChainSubmitter {
  private readonly provider: JsonRpcProvider;
  private readonly wallet: Wallet;
  private readonly marketplace: Contract;
  private readonly sendLock = new SendLock();
  private readonly jobQueues = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly settings: ChainSettings,
    private readonly log: SimLog,
    private readonly metrics: SimMetrics,
    private readonly onFailure: (message: string | undefined) => void,
  ) {
    const network = settings.chainId !== undefined ? Network.from(settings.chainId) : undefined;
    this.provider = new JsonRpcProvider(settings.rpcUrl, network, {
      staticNetwork: network ?? false,
      pollingInterval: 250,
      // ethers reuses identical reads for 250 ms by default, which hands out a stale
      // pending nonce right after a transaction is mined: always ask the node.
      cacheTimeout: -1,
    });
    this.wallet = new Wallet(settings.hostPrivateKey, this.provider);
    this.marketplace = new Contract(settings.jobMarketplace, MARKETPLACE_ABI, this.wallet);
  }

  get hostAddress(): string {
    return this.wallet.address;
  }

  /** Logs which chain the node talks to; a wrong CHAIN_ID is worth a warning, not a refusal. */
  async describe(): Promise<void> {
    try {
      const { chainId } = await this.provider.getNetwork();
      this.log.info(`🔗 Connected to chain ${chainId} (marketplace ${this.settings.jobMarketplace})`);
      if (this.settings.chainId !== undefined && BigInt(this.settings.chainId) !== chainId) {
        this.log.warn(`CHAIN_ID ${this.settings.chainId} does not match the RPC's chain ${chainId}`);
      }
    } catch (error) {
      this.log.warn(`RPC not reachable yet: ${shortError(error)}`);
    }
  }

  submitCheckpoint(session: Session, checkpoint: Checkpoint): void {
    const jobId = session.jobId;
    if (jobId === null) return;
    this.enqueue(jobId, () => this.submitProof(jobId, session, checkpoint));
  }

  /** Called once when a session ended and its final checkpoint (if any) was queued: completes the job. */
  settle(session: Session): void {
    const jobId = session.jobId;
    if (jobId === null) return;
    this.enqueue(jobId, () => this.complete(jobId, session, conversationCid(jobId)));
  }

  /**
   * The minimum the first checkpoint claims: the job's proofInterval, at least MIN_PROVEN_TOKENS; the node's
   * fallback when the read fails (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:268-327).
   */
  async minBillable(jobId: string, fallback: number): Promise<number> {
    try {
      const job = await this.marketplace.getFunction("sessionJobs").staticCall(BigInt(jobId));
      return Math.max(Number(job.proofInterval), MIN_PROVEN_TOKENS);
    } catch (error) {
      this.log.warn(`⚠️ Failed to query proofInterval for job ${jobId}: ${shortError(error)}. Using default ${fallback}`);
      return fallback;
    }
  }

  /** Resolves once every queued proof and settlement has finished (or given up). */
  async idle(): Promise<void> {
    while (this.jobQueues.size > 0) await Promise.all([...this.jobQueues.values()]);
  }

  /** Abandons waits in progress (shutdown); transactions already sent stay sent. */
  stop(): void {
    this.abort.abort();
    this.provider.destroy();
  }

  private readonly onNonceConflict = (nonce: number) => {
    this.log.info(`Nonce ${nonce} was taken by another signer of this key; retrying with a fresh nonce`);
  };

  private enqueue(jobId: string, task: () => Promise<void>): void {
    const previous = this.jobQueues.get(jobId) ?? Promise.resolve();
    const next = previous
      .then(() => {
        // After shutdown nothing new starts: the provider is gone.
        if (this.abort.signal.aborted) throw new Aborted();
        return task();
      })
      .catch((error: unknown) => {
        if (error instanceof Aborted) return;
        this.metrics.proofSubmissionFailures++;
        const message = `job ${jobId}: ${shortError(error)}`;
        this.log.warn(`❌ On-chain submission failed for ${message}`);
        this.onFailure(message);
      });
    this.jobQueues.set(jobId, next);
    void next.then(() => {
      if (this.jobQueues.get(jobId) === next) this.jobQueues.delete(jobId);
    });
  }

  private async readJob(jobId: string): Promise<JobState> {
    const job = await this.marketplace.getFunction("sessionJobs").staticCall(BigInt(jobId));
    return {
      host: String(job.host),
      startTime: Number(job.startTime),
      lastProofTime: Number(job.lastProofTime),
      status: Number(job.status),
    };
  }

  /** Chain time in seconds: wall clock, or the latest block when the chain runs ahead (evm_increaseTime). */
  private async chainNow(): Promise<number> {
    const wall = Date.now() / 1000;
    const block = await this.provider.getBlock("latest");
    return Math.max(wall, block?.timestamp ?? 0);
  }

  /** Checks that the job exists, is ours and is still open; says why not otherwise. */
  private jobProblem(jobId: string, job: JobState): string | undefined {
    if (job.host === ZeroAddress) return `job ${jobId} does not exist on chain`;
    if (job.host.toLowerCase() !== this.wallet.address.toLowerCase()) {
      return `job ${jobId} belongs to host ${job.host}, not ${this.wallet.address}`;
    }
    if (job.status !== SESSION_ACTIVE) return `job ${jobId} is no longer active (status ${job.status})`;
    return undefined;
  }

  private async submitProof(jobId: string, session: Session, checkpoint: Checkpoint): Promise<void> {
    const claimed = checkpoint.tokenRange[1] - checkpoint.tokenRange[0];
    const signal = this.abort.signal;
    const deadline = Date.now() + this.settings.settleTimeoutMs;
    let reverts = 0;
    for (;;) {
      const job = await this.readJob(jobId);
      const problem = this.jobProblem(jobId, job);
      if (problem) {
        this.log.warn(`Skipping checkpoint ${checkpoint.index}: ${problem}`);
        return;
      }
      // Wait until the claim fits under the 2000 tokens/s ceiling since the last proof.
      const since = Math.max(job.lastProofTime, job.startTime);
      const earliest = since + Math.ceil(claimed / MAX_TOKENS_PER_SECOND);
      const waitMs = (earliest - (await this.chainNow())) * 1000;
      if (waitMs > 0) await sleep(Math.ceil(waitMs) + 50, signal);
      try {
        const tx = await this.sendLock.run(() =>
          sendWithFreshNonce(
            this.provider,
            this.wallet.address,
            (nonce) =>
              this.marketplace.getFunction("submitProofOfWork")(
                BigInt(jobId),
                BigInt(claimed),
                checkpoint.proofHash,
                checkpoint.proofCid,
                checkpoint.deltaCid,
                { nonce },
              ),
            signal,
            this.onNonceConflict,
          ),
        );
        // The dispute window is counted from when the proof was sent (checkpoint_manager.rs:1063-1075, 1593-1607).
        session.lastProofSentAt = Date.now();
        this.log.say(`📤 Submitted proof for job ${jobId} checkpoint ${checkpoint.index} (${claimed} tokens): tx ${tx.hash}`);
        const receipt = await tx.wait();
        this.metrics.proofsSubmitted++;
        this.onFailure(undefined);
        this.log.say(`✅ Proof confirmed for job ${jobId} in block ${receipt?.blockNumber ?? "?"}`);
        return;
      } catch (error) {
        if (!isRevert(error)) throw error;
        // A model may have a lower rate limit than the documented 2000/s: keep waiting on
        // "Too many" until the deadline; any other revert gets a few tries (timing edges).
        const rateLimited = shortError(error).includes("Too many");
        if (rateLimited ? Date.now() > deadline : ++reverts >= REVERT_RETRIES) throw error;
        this.log.debug(`proof for job ${jobId} reverted (${shortError(error)}); retrying`);
        await sleep(1000, signal);
      }
    }
  }

  private async complete(jobId: string, session: Session, cid: string): Promise<void> {
    const signal = this.abort.signal;
    const deadline = Date.now() + this.settings.settleTimeoutMs;
    const contractWindow = Number(await this.marketplace.getFunction("disputeWindow").staticCall());
    // The node waits its own window (DISPUTE_WINDOW_SECONDS, else the contract's); the contract's rule still holds.
    const nodeWindow = this.settings.disputeWindowSeconds ?? contractWindow;
    let reverts = 0;
    for (;;) {
      const job = await this.readJob(jobId);
      const problem = this.jobProblem(jobId, job);
      if (problem) {
        this.log.info(`Not completing: ${problem}`);
        return;
      }
      // The real node waits the dispute window plus a 5 s buffer from when it sent its last proof, on its own clock
      // (checkpoint_manager.rs:1588-1624). The stand-in also never sends before the contract's rule holds
      // (lastProofTime, or startTime before any proof, plus the window), so a devnet whose clock was moved still settles.
      const localWaitMs = session.lastProofSentAt === undefined ? 0 : session.lastProofSentAt + nodeWindow * 1000 + this.settings.disputeBufferMs - Date.now();
      const chainWaitMs = (Math.max(job.startTime, job.lastProofTime) + contractWindow - (await this.chainNow())) * 1000;
      const waitMs = Math.max(localWaitMs, chainWaitMs);
      if (waitMs > 0) {
        if (Date.now() + waitMs > deadline) {
          throw new Error(`gave up completing job ${jobId}: dispute window ends after the settle timeout`);
        }
        this.log.info(`⏳ Job ${jobId} can be completed in ${Math.ceil(waitMs / 1000)} s (dispute window)`);
        await sleep(Math.ceil(waitMs) + 50, signal);
        continue;
      }
      try {
        const tx = await this.sendLock.run(() =>
          sendWithFreshNonce(
            this.provider,
            this.wallet.address,
            (nonce) => this.marketplace.getFunction("completeSessionJob")(BigInt(jobId), cid, { nonce }),
            signal,
            this.onNonceConflict,
          ),
        );
        this.log.say(`📤 Submitted completeSessionJob for job ${jobId}: tx ${tx.hash}`);
        const receipt = await tx.wait();
        this.metrics.sessionsCompleted++;
        this.log.say(`✅ Session job ${jobId} completed in block ${receipt?.blockNumber ?? "?"}`);
        return;
      } catch (error) {
        if (!isRevert(error) || ++reverts >= REVERT_RETRIES || Date.now() > deadline) throw error;
        this.log.debug(`completeSessionJob for job ${jobId} reverted (${shortError(error)}); retrying`);
        await sleep(1000, signal);
      }
    }
  }
}
