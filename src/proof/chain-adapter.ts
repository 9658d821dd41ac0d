/**
 * The proof pipeline's chain port on the real chain layer: reads through the pooled provider and typed contracts,
 * writes through the journaled TxSender, so every proof and settlement is recorded before it is signed and sent at
 * most once per idempotency key, across crashes.
 */
import { isError } from "ethers";
import type { ChainClient, TxSender } from "../chain/index.ts";
import type { OnChainSession, ProofChain, ProofMaterial, SessionStatus } from "./chain-port.ts";
import { emptyCursor, loadCursor, REORG_MARGIN, saveCursor, walkStart, type HostJobsCursor, type HostJobsIdentity, type KnownJob } from "./host-jobs-cursor.ts";

/** Gas of a typical submitProofOfWork (a new proof record and hash; measured on the devnet), when none was estimated. */
const TYPICAL_PROOF_GAS = 250_000n;

const STATUS: Record<number, SessionStatus> = { 0: "active", 1: "completed", 2: "timed_out" };

export class ChainProofPort implements ProofChain {
  /** How far the walk of `hostSessions(host, i)` got (see host-jobs-cursor.ts); loaded on first use. */
  private cursor: HostJobsCursor | undefined;

  private sender: Promise<TxSender> | undefined;
  /** The last gas estimate of a proof that went through (proofCost). */
  private proofGas: bigint | undefined;

  /**
   * The sender is made on first use (it reads the chain), and made again after a failure, so a host that starts while
   * its RPC is down still comes up and proves once the RPC is back.
   */
  constructor(
    private readonly chain: ChainClient,
    private readonly makeSender: () => Promise<TxSender>,
    readonly hostAddress: string,
    /** Where the walk's cursor is kept across restarts; without it the walk starts from index 0 in every process. */
    private readonly stateDir?: string,
  ) {}

  private getSender(): Promise<TxSender> {
    this.sender ??= this.makeSender().catch((error) => {
      this.sender = undefined;
      throw error;
    });
    return this.sender;
  }

  private async submit(intent: { key: string; to: string; data: string; description: string }): Promise<{ txHash: string }> {
    const result = await (await this.getSender()).submit(intent);
    return { txHash: result.hash };
  }

  /** The sender's journal says: failed means nothing of it can still be mined; any other state may be (or was). */
  async intentLive(key: string): Promise<boolean> {
    const record = (await this.getSender()).record(key);
    return record !== undefined && record.state !== "failed";
  }

  /**
   * Whether a recorded proof or settlement is still wanted when the chain layer would send it again unasked (after a
   * restart, or with a new nonce because another transaction took ours). A proof is wanted only while the session is
   * active and its proven total is still where the proof starts from: any other total means the node (or an earlier
   * send of ours) proved those tokens, and a second proof would claim them twice. A settlement is wanted while the
   * session is active. Anything else is not the pipeline's, and stays wanted.
   */
  async stillWanted(record: { key: string; data: string }): Promise<boolean> {
    const proof = /^proof:(\d+):(\d+)$/.exec(record.key);
    const settlement = /^(complete|timeout):(\d+)$/.exec(record.key);
    if (!proof && !settlement) return true;
    const session = await this.readSession(proof ? proof[1]! : settlement![2]!);
    if (session?.status !== "active") return false;
    if (!proof) return true;
    let claimed: number;
    try {
      claimed = Number(this.chain.contracts.jobMarketplace.interface.decodeFunctionData("submitProofOfWork", record.data)[1]);
    } catch {
      return true; // not a proof this code wrote: finished as recorded
    }
    return session.tokensUsed === Number(proof[2]) - claimed;
  }

  async readSession(jobId: string): Promise<OnChainSession | undefined> {
    const job = await this.chain.contracts.jobMarketplace.sessionJobs(BigInt(jobId));
    if (job.id === 0n && /^0x0{40}$/i.test(job.host)) return undefined;
    return {
      jobId,
      host: job.host,
      depositor: job.depositor,
      paymentToken: job.paymentToken,
      deposit: job.deposit,
      pricePerToken: job.pricePerToken,
      tokensUsed: Number(job.tokensUsed),
      maxDuration: Number(job.maxDuration),
      startTime: Number(job.startTime),
      lastProofTime: Number(job.lastProofTime),
      proofInterval: Number(job.proofInterval),
      proofTimeoutWindow: Number(job.proofTimeoutWindow),
      status: STATUS[Number(job.status)] ?? "completed",
    };
  }

  /**
   * The time the next block will carry, where the RPC knows it (the pending block): that is the time the contract
   * judges a transaction sent now by. The latest block's time is a fallback; it can lag far behind on an idle chain.
   */
  async chainTime(): Promise<number> {
    const pending = await this.chain.provider.getBlock("pending").catch(() => null);
    const latest = pending ? null : await this.chain.provider.getBlock("latest");
    const block = pending ?? latest;
    return block ? block.timestamp : Math.floor(Date.now() / 1000);
  }

  async disputeWindow(): Promise<number> {
    return Number(await this.chain.contracts.jobMarketplace.disputeWindow());
  }

  async submitProof(request: { key: string; jobId: string; tokens: number } & ProofMaterial): Promise<{ txHash: string }> {
    const { to, data } = await this.proofCall(request);
    return this.submit({ key: request.key, to, data, description: `proof of ${request.tokens} tokens for job ${request.jobId}` });
  }

  /** The marketplace call that proves this claim: its address and calldata. */
  private async proofCall(request: { jobId: string; tokens: number } & ProofMaterial): Promise<{ to: string; data: string }> {
    const market = this.chain.contracts.jobMarketplace;
    const data = market.interface.encodeFunctionData("submitProofOfWork", [
      BigInt(request.jobId),
      BigInt(request.tokens),
      request.proofHash,
      request.proofCID,
      request.deltaCID,
    ]);
    return { to: await market.getAddress(), data };
  }

  /**
   * Gas estimate × the fee a transaction sent now would pay. The estimate of a claim the rate rule does not allow yet
   * reverts: the last good estimate stands in, else a typical proof's gas.
   */
  async proofCost(request: { jobId: string; tokens: number } & ProofMaterial): Promise<bigint> {
    const { to, data } = await this.proofCall(request);
    const gas = await this.chain.provider.estimateGas({ from: this.hostAddress, to, data }).then(
      (estimate) => (this.proofGas = estimate),
      () => this.proofGas ?? TYPICAL_PROOF_GAS,
    );
    const fee = await this.chain.provider.getFeeData();
    return gas * (fee.maxFeePerGas ?? fee.gasPrice ?? 0n);
  }

  async completeSession(request: { key: string; jobId: string; conversationCID: string }): Promise<{ txHash: string }> {
    const market = this.chain.contracts.jobMarketplace;
    const data = market.interface.encodeFunctionData("completeSessionJob", [BigInt(request.jobId), request.conversationCID]);
    return this.submit({ key: request.key, to: await market.getAddress(), data, description: `complete job ${request.jobId}` });
  }

  async triggerTimeout(request: { key: string; jobId: string }): Promise<{ txHash: string }> {
    const market = this.chain.contracts.jobMarketplace;
    const data = market.interface.encodeFunctionData("triggerSessionTimeout", [BigInt(request.jobId)]);
    return this.submit({ key: request.key, to: await market.getAddress(), data, description: `time out job ${request.jobId}` });
  }

  /**
   * This host's active jobs. Every kind of session the marketplace opens (paid directly, from a deposit, by a
   * delegate) is appended to `hostSessions(host)` and reads the same in `sessionJobs`, the payer as `depositor`
   * (fabstir-compute-contracts@faa3621 src/JobMarketplaceWithModelsUpgradeable.sol, `_initializeSession`), so the
   * list is the one place to look. A restart reads only the jobs added since the last walk, the last REORG_MARGIN
   * entries again, and the jobs last seen active; the cursor is saved once a walk has reached the end of the list.
   */
  async activeJobsOfHost(): Promise<string[]> {
    const market = this.chain.contracts.jobMarketplace;
    const identity: HostJobsIdentity = {
      chainId: this.chain.network.chainId,
      jobMarketplace: this.chain.network.contracts.jobMarketplace,
      host: this.hostAddress,
    };
    let cursor = (this.cursor ??= this.stateDir ? loadCursor(this.stateDir, identity) : emptyCursor(identity));
    /** undefined: past the end of the list (the call reverts); any other failure is thrown. */
    const jobAt = async (index: number): Promise<string | undefined> => {
      try {
        return String(await market.hostSessions(this.hostAddress, index));
      } catch (error) {
        if (isError(error, "CALL_EXCEPTION")) return undefined;
        throw error;
      }
    };

    let { from, anchorIndex } = walkStart(cursor);
    if (from > 0 && (anchorIndex === null || (await jobAt(anchorIndex)) !== cursor.anchor!.jobId)) {
      cursor = emptyCursor(identity); // the list is not the one the cursor describes: walk it all
      from = 0;
      anchorIndex = null;
    }
    const active: KnownJob[] = [];
    for (const known of cursor.active.filter((job) => job.index < from)) {
      if ((await this.readSession(known.jobId))?.status === "active") active.push(known);
    }
    const walked = new Map<number, string>();
    let index = from;
    for (let jobId = await jobAt(index); jobId !== undefined; jobId = await jobAt(++index)) {
      walked.set(index, jobId);
      if ((await this.readSession(jobId))?.status === "active") active.push({ index, jobId });
    }

    const anchorAt = index - REORG_MARGIN - 1;
    const anchorId = anchorAt >= from ? walked.get(anchorAt) : anchorAt === anchorIndex ? cursor.anchor!.jobId : undefined;
    this.cursor = { ...identity, version: 1, next: index, anchor: anchorId === undefined ? null : { index: anchorAt, jobId: anchorId }, active };
    if (this.stateDir) saveCursor(this.stateDir, this.cursor);
    return active.map((job) => job.jobId);
  }
}
