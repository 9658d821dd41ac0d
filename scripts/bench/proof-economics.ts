#!/usr/bin/env bun
/**
 * What proving costs and earns, modelled (no chain): sessions of 300, 1,000 and 5,000 tokens at the SDK's checkpoint
 * interval (1,000 tokens), proved either at every interval (and the remainder at the end) or when the proof policy
 * (src/economics/proof-policy.ts) says so, at two gas prices. Billing follows the contract: only proven tokens pay,
 * `tokens × price / 1000` less the 10% treasury fee, a proof claims at least 100 tokens (src/economics/billing.ts).
 * A host settles (completeSessionJob) only a session with something proven; the same rule for both strategies.
 *
 * Gas per transaction is the demo's measurement: ~308,000 per submitProofOfWork, ~290,000 per completeSessionJob.
 *
 *   bun scripts/bench/proof-economics.ts [--json] [--price <contract units>] [--rate <tokens/s>]
 */
import { parseArgs } from "node:util";
import { formatUnits } from "ethers";
import { hostPaymentFor, SDK_DEFAULT_PROOF_INTERVAL } from "../../src/economics/billing.ts";
import { GAS_ESTIMATES } from "../../src/economics/gas-estimates.ts";
import { mayDefer, type GasPolicy } from "../../src/proof/gas-policy.ts";
import type { OnChainSession } from "../../src/proof/chain-port.ts";

const { values } = parseArgs({ options: { json: { type: "boolean" }, price: { type: "string" }, rate: { type: "string" } } });

/** 0.000002 ETH per thousand tokens (the `pricing set` example) in contract units. */
const PRICE = BigInt(values.price ?? "2000000000000");
const FEE_BPS = 1000n;
const TOKENS_PER_SECOND = Number(values.rate ?? "40");
const PROOF_TIMEOUT_WINDOW = 300;
/** The gas-aware policy the proof pipeline runs (src/proof/gas-policy.ts), at a value-to-gas ratio of 2. */
const POLICY: GasPolicy = { minValueToGas: 2, maxUnprovenIntervals: 10 };
const GAS_PRICES = [
  { label: "0.01 gwei (Base, quiet)", wei: 10_000_000n },
  { label: "1 gwei (busy)", wei: 1_000_000_000n },
];
const SESSIONS = [300, 1000, 5000];

interface Outcome {
  strategy: "every-interval" | "policy";
  tokens: number;
  gasPrice: string;
  proofs: number;
  settled: boolean;
  tokensProven: number;
  gasUsed: string;
  gasPer1000Proven: string | null;
  earnedWei: string;
  gasWei: string;
  netWei: string;
}

function simulate(strategy: Outcome["strategy"], tokens: number, gasPriceWei: bigint, gasLabel: string): Outcome {
  const proofCost = GAS_ESTIMATES.proof * gasPriceWei;
  let proven = 0;
  let proofs = 0;
  let lastProofAt = 0;
  const interval = SDK_DEFAULT_PROOF_INTERVAL;
  // Decision points: every interval boundary while the session runs, then its end.
  const points = [...Array.from({ length: Math.floor(tokens / interval) }, (_, i) => (i + 1) * interval).filter((t) => t < tokens), tokens];
  for (const served of points) {
    const ended = served === tokens;
    const now = served / TOKENS_PER_SECOND;
    const unproven = served - proven;
    let claim: boolean;
    if (strategy === "every-interval") claim = unproven >= 100;
    else if (ended) {
      // The end always proves what is left: a first claim padded to the interval, a later one from 100 tokens on.
      claim = unproven >= 100 || proven === 0;
    } else {
      const session: OnChainSession = {
        jobId: "1",
        host: "0x1",
        depositor: "0x2",
        paymentToken: "0x0000000000000000000000000000000000000000",
        deposit: 10n ** 20n,
        pricePerToken: PRICE,
        tokensUsed: proven,
        maxDuration: 3600,
        startTime: 0,
        lastProofTime: Math.floor(lastProofAt),
        proofInterval: interval,
        proofTimeoutWindow: PROOF_TIMEOUT_WINDOW,
        status: "active",
      };
      const due = Math.floor(unproven / interval) * interval;
      claim = due > 0 && !mayDefer({ policy: POLICY, session, tokens: due, interval, chainNow: Math.floor(now), cost: proofCost });
    }
    if (claim) {
      // Minimum billing: a first claim is padded to the interval (a 300-token session is paid for 1,000).
      proven = proven === 0 ? Math.max(served, interval) : served;
      proofs += 1;
      lastProofAt = now;
    }
  }
  const settled = proven > 0;
  const gasUsed = GAS_ESTIMATES.proof * BigInt(proofs) + (settled ? GAS_ESTIMATES.settlement : 0n);
  const gasWei = gasUsed * gasPriceWei;
  const earned = hostPaymentFor(BigInt(proven), PRICE, FEE_BPS);
  return {
    strategy,
    tokens,
    gasPrice: gasLabel,
    proofs,
    settled,
    tokensProven: proven,
    gasUsed: gasUsed.toString(),
    gasPer1000Proven: proven > 0 ? ((gasUsed * 1000n) / BigInt(proven)).toString() : null,
    earnedWei: earned.toString(),
    gasWei: gasWei.toString(),
    netWei: (earned - gasWei).toString(),
  };
}

const outcomes: Outcome[] = [];
for (const gas of GAS_PRICES)
  for (const tokens of SESSIONS) for (const strategy of ["every-interval", "policy"] as const) outcomes.push(simulate(strategy, tokens, gas.wei, gas.label));

if (values.json) {
  console.log(
    JSON.stringify({
      price: PRICE.toString(),
      feeBasisPoints: Number(FEE_BPS),
      tokensPerSecond: TOKENS_PER_SECOND,
      policy: POLICY,
      gas: { proof: GAS_ESTIMATES.proof.toString(), settlement: GAS_ESTIMATES.settlement.toString() },
      outcomes,
    }),
  );
} else {
  const eth = (wei: string) => formatUnits(BigInt(wei), 18);
  console.log(
    `price ${PRICE} (${formatUnits(PRICE, 18)} ETH per thousand tokens), fee 10%, ${TOKENS_PER_SECOND} tokens/s, interval ${SDK_DEFAULT_PROOF_INTERVAL}, policy ${JSON.stringify(POLICY)}\n`,
  );
  console.log("gas price                 tokens  strategy        proofs  proven  gas/1000 proven  earned ETH         gas ETH            net ETH");
  for (const o of outcomes) {
    console.log(
      `${o.gasPrice.padEnd(24)}  ${String(o.tokens).padStart(6)}  ${o.strategy.padEnd(14)}  ${String(o.proofs).padStart(6)}  ${String(o.tokensProven).padStart(6)}  ${String(o.gasPer1000Proven ?? "-").padStart(15)}  ${eth(o.earnedWei).padEnd(17)}  ${eth(o.gasWei).padEnd(17)}  ${eth(o.netWei)}`,
    );
  }
}
