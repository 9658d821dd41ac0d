/**
 * Gas-aware proving, where the CLI proves (`node.signer = "cli"`, and the safety net never defers): a due checkpoint
 * waits while the tokens it would prove are worth less than `proofs.minValueToGas` times what the proof costs (gas
 * estimate × current fee), but never past `proofs.maxUnprovenIntervals` intervals unproven, never so late that the
 * session's proof timeout could fire first (anyone may then settle it on its proven tokens alone), and never at the end
 * of a session (the end always proves everything). `minValueToGas` 0, the default, proves every interval when due:
 * the policy that risks the fewest unproven tokens if the host and the node both go down mid-session.
 * Only sessions paid in ETH are weighed (the fee is paid in ETH; a stable token has no rate to compare it with here).
 */
import { checkpointInterval, timeoutAllowedAt } from "./rules.ts";
import type { OnChainSession, ProofChain } from "./chain-port.ts";
import type { SessionRecord } from "./journal.ts";
import { derivedMaterial } from "./material.ts";
import { hostPaymentFor, TREASURY_FEE_BPS } from "../economics/billing.ts";

export interface GasPolicy {
  /** Prove once the unproven tokens are worth at least this many times the proof's cost; 0 = every interval. */
  minValueToGas: number;
  /** Never leave more than this many whole intervals unproven, whatever the gas. */
  maxUnprovenIntervals: number;
}

export const EVERY_INTERVAL: GasPolicy = { minValueToGas: 0, maxUnprovenIntervals: 1 };

/** How long before the proof timeout a deferred proof is sent anyway: a quarter of the window, 5 to 60 s. */
export function timeoutMarginSeconds(proofTimeoutWindow: number): number {
  return Math.min(60, Math.max(5, Math.floor(proofTimeoutWindow / 4)));
}

/** The chain second by which a deferred proof must be sent. */
export function proveBy(session: OnChainSession): number {
  return timeoutAllowedAt(session) - timeoutMarginSeconds(session.proofTimeoutWindow);
}

/** What the host is paid for `tokens` of this session, in the payment token's base unit: the treasury's share is not the host's. */
export function claimValue(session: OnChainSession, tokens: number): bigint {
  return hostPaymentFor(BigInt(tokens), session.pricePerToken, TREASURY_FEE_BPS);
}

export interface DeferFacts {
  policy: GasPolicy;
  session: OnChainSession;
  /** The claim that is due (whole intervals). */
  tokens: number;
  interval: number;
  chainNow: number;
  /** The proof's cost in wei (gas estimate × fee), or undefined when it could not be read. */
  cost: bigint | undefined;
}

/** Whether the due claim may wait; a claim that may not wait, or an unreadable cost, is proven now. */
export function mayDefer(facts: DeferFacts): boolean {
  const { policy, session } = facts;
  if (policy.minValueToGas <= 0 || facts.cost === undefined) return false;
  if (!/^0x0{40}$/i.test(session.paymentToken)) return false;
  if (facts.tokens / facts.interval >= policy.maxUnprovenIntervals) return false;
  if (facts.chainNow >= proveBy(session)) return false;
  const needed = (facts.cost * BigInt(Math.round(policy.minValueToGas * 1000))) / 1000n;
  return claimValue(session, facts.tokens) < needed;
}

/** How long a proof's cost (gas estimate × fee) is trusted before it is read again. */
const GAS_COST_TTL_MS = 30_000;

/** The policy applied to the pipeline's due claims, with the proof's cost read at most every 30 s. */
export class GasGate {
  private cost: { wei: bigint; at: number } | undefined;

  constructor(private readonly options: { gasPolicy?: GasPolicy; chain: ProofChain; clock: { now(): number } }) {}

  /** When a due claim (cli signer, mid-session) is to be looked at again, or undefined: prove it now. */
  async wakeAt(record: SessionRecord, session: OnChainSession, tokens: number, chainNow: number): Promise<number | undefined> {
    const { gasPolicy: policy, chain } = this.options;
    if (!policy || policy.minValueToGas <= 0 || !chain.proofCost) return undefined;
    const now = this.options.clock.now();
    if (!this.cost || now - this.cost.at > GAS_COST_TTL_MS) {
      const material = derivedMaterial(record.jobId!, record.sessionId, record.generated);
      const wei = await chain.proofCost({ jobId: record.jobId!, tokens, ...material }).catch(() => undefined);
      this.cost = wei === undefined ? undefined : { wei, at: now };
    }
    const interval = checkpointInterval(session.proofInterval);
    if (!mayDefer({ policy, session, tokens, interval, chainNow, cost: this.cost?.wei })) return undefined;
    return now + (proveBy(session) - chainNow) * 1000;
  }
}
