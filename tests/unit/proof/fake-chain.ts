/**
 * An in-memory JobMarketplace that enforces the same proof rules as the contract, with a clock the test controls.
 * For unit tests of the pipeline's decisions; the real chain is exercised in tests/integration/proof.
 */
import { HostError } from "../../../src/errors/host-error.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";
import type { OnChainSession, ProofChain, ProofMaterial } from "../../../src/proof/chain-port.ts";

/**
 * What the chain layer throws: a revert decoded into its reason (TX_WOULD_REVERT with `details.reason`, as
 * src/chain/tx/planner.ts does), anything else as the RPC error it is.
 */
function chainFailure(text: string): Error {
  const reverted = /^execution reverted: (.+)$/.exec(text);
  if (!reverted) return new Error(text);
  return new HostError(ChainErrors.TX_WOULD_REVERT, `Proof would fail: ${reverted[1]}. Nothing was sent.`, { details: { reason: reverted[1], error: null } });
}
export class FakeChain implements ProofChain {
  readonly hostAddress = "0x00000000000000000000000000000000000000aa";
  sessions = new Map<string, OnChainSession>();
  sent: { key: string; kind: string; jobId: string; tokens?: number; material?: ProofMaterial }[] = [];
  keys = new Set<string>();
  time = 1_000_000;
  window = 30;
  failNext: string[] = [];
  /** Proof hashes the ProofSystem has marked used: a second proof with one is refused, whoever sends it. */
  usedHashes = new Set<string>();

  open(jobId: string, overrides: Partial<OnChainSession> = {}): void {
    this.sessions.set(jobId, {
      jobId,
      host: this.hostAddress,
      depositor: "0xc",
      paymentToken: "0x0000000000000000000000000000000000000000",
      deposit: 10n ** 18n,
      pricePerToken: 1000n,
      tokensUsed: 0,
      maxDuration: 3600,
      startTime: this.time,
      lastProofTime: this.time,
      proofInterval: 100,
      proofTimeoutWindow: 300,
      status: "active",
      ...overrides,
    });
  }

  async readSession(jobId: string) {
    const s = this.sessions.get(jobId);
    return s ? { ...s } : undefined;
  }
  async chainTime() {
    return this.time;
  }
  async disputeWindow() {
    return this.window;
  }
  private check(key: string): void {
    const failure = this.failNext.shift();
    if (failure) throw chainFailure(failure);
    if (this.keys.has(key)) throw new Error(`duplicate intent ${key}`);
    this.keys.add(key);
  }
  async submitProof(request: { key: string; jobId: string; tokens: number } & ProofMaterial) {
    const s = this.sessions.get(request.jobId)!;
    if (s.status !== "active") throw chainFailure("execution reverted: Session not active");
    if (request.tokens < 100) throw chainFailure("execution reverted: Must claim minimum 100 tokens");
    if (request.tokens > 2000 * (this.time - s.lastProofTime)) throw chainFailure("execution reverted: Excessive tokens claimed");
    if (this.usedHashes.has(request.proofHash)) throw chainFailure("execution reverted: Proof already used");
    this.check(request.key);
    this.usedHashes.add(request.proofHash);
    s.tokensUsed += request.tokens;
    s.lastProofTime = this.time;
    this.sent.push({ key: request.key, kind: "proof", jobId: request.jobId, tokens: request.tokens, material: request });
    return { txHash: `0x${this.sent.length.toString(16).padStart(64, "0")}` };
  }
  async completeSession(request: { key: string; jobId: string }) {
    const s = this.sessions.get(request.jobId)!;
    if (s.status !== "active") throw chainFailure("execution reverted: Session not active");
    if (this.time < Math.max(s.startTime, s.lastProofTime) + this.window) throw chainFailure("execution reverted: Dispute window active");
    this.check(request.key);
    s.status = "completed";
    this.sent.push({ key: request.key, kind: "complete", jobId: request.jobId });
    return { txHash: "0xc0" };
  }
  async triggerTimeout(request: { key: string; jobId: string }) {
    const s = this.sessions.get(request.jobId)!;
    this.check(request.key);
    s.status = "timed_out";
    this.sent.push({ key: request.key, kind: "timeout", jobId: request.jobId });
    return { txHash: "0xt0" };
  }
  /** What a proof costs, in wei (gas-aware proving); a test sets it. */
  cost = 10n ** 12n;
  async proofCost() {
    return this.cost;
  }
  async activeJobsOfHost() {
    return [...this.sessions.values()].filter((s) => s.status === "active").map((s) => s.jobId);
  }
  /** What the node would do in node mode: prove on its own (refused, as on chain, for a hash already used). */
  nodeProves(jobId: string, tokens: number, proofHash?: string): void {
    const s = this.sessions.get(jobId)!;
    if (proofHash !== undefined && this.usedHashes.has(proofHash)) throw chainFailure("execution reverted: Proof already used");
    if (proofHash !== undefined) this.usedHashes.add(proofHash);
    s.tokensUsed += tokens;
    s.lastProofTime = this.time;
  }
}
