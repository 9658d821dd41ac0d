/**
 * The proof pipeline's chain port on the real chain layer: reads through the pooled provider and typed contracts,
 * writes through the journaled TxSender, so every proof and settlement is recorded before it is signed and sent at
 * most once per idempotency key, across crashes.
 */
import type { ChainClient, TxSender } from "../chain/index.ts";
import type { OnChainSession, ProofChain, ProofMaterial, SessionStatus } from "./chain-port.ts";

const STATUS: Record<number, SessionStatus> = { 0: "active", 1: "completed", 2: "timed_out" };

export class ChainProofPort implements ProofChain {
  /** Index into `hostSessions(host, i)` already known to hold only settled sessions: recovery scans from here. */
  private scannedSettled = 0;

  constructor(
    private readonly chain: ChainClient,
    private readonly sender: TxSender,
    readonly hostAddress: string,
  ) {}

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

  async chainTime(): Promise<number> {
    const block = await this.chain.provider.getBlock("latest");
    return block ? block.timestamp : Math.floor(Date.now() / 1000);
  }

  async disputeWindow(): Promise<number> {
    return Number(await this.chain.contracts.jobMarketplace.disputeWindow());
  }

  async submitProof(request: { key: string; jobId: string; tokens: number } & ProofMaterial): Promise<{ txHash: string }> {
    const market = this.chain.contracts.jobMarketplace;
    const data = market.interface.encodeFunctionData("submitProofOfWork", [BigInt(request.jobId), BigInt(request.tokens), request.proofHash, request.proofCID, request.deltaCID]);
    const result = await this.sender.submit({ key: request.key, to: await market.getAddress(), data, description: `proof of ${request.tokens} tokens for job ${request.jobId}` });
    return { txHash: result.hash };
  }

  async completeSession(request: { key: string; jobId: string; conversationCID: string }): Promise<{ txHash: string }> {
    const market = this.chain.contracts.jobMarketplace;
    const data = market.interface.encodeFunctionData("completeSessionJob", [BigInt(request.jobId), request.conversationCID]);
    const result = await this.sender.submit({ key: request.key, to: await market.getAddress(), data, description: `complete job ${request.jobId}` });
    return { txHash: result.hash };
  }

  async triggerTimeout(request: { key: string; jobId: string }): Promise<{ txHash: string }> {
    const market = this.chain.contracts.jobMarketplace;
    const data = market.interface.encodeFunctionData("triggerSessionTimeout", [BigInt(request.jobId)]);
    const result = await this.sender.submit({ key: request.key, to: await market.getAddress(), data, description: `time out job ${request.jobId}` });
    return { txHash: result.hash };
  }

  async activeJobsOfHost(): Promise<string[]> {
    const market = this.chain.contracts.jobMarketplace;
    const active: string[] = [];
    let allSettledSoFar = true;
    for (let index = this.scannedSettled; ; index++) {
      let jobId: bigint;
      try {
        jobId = await market.hostSessions(this.hostAddress, index);
      } catch {
        break; // past the end of the host's list
      }
      const session = await this.readSession(jobId.toString());
      if (session?.status === "active") {
        active.push(jobId.toString());
        allSettledSoFar = false;
      } else if (allSettledSoFar) this.scannedSettled = index + 1;
    }
    return active;
  }
}
