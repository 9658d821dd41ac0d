/**
 * What the chain says about a host's sessions, read the way an auditor would (events and public state, never the
 * host's own records): sessions' status and tokens, every ProofSubmitted with its running total per job, earnings
 * credited and withdrawn. The journey, the end-to-end tests and the soak benchmark judge the host by these.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Contract, Interface, formatEther, formatUnits, type JsonRpcProvider } from "ethers";
import { devnetProvider } from "../devnet/actions.ts";
import type { Deployment } from "../devnet/types.ts";

const MARKET = new Interface([
  "event ProofSubmitted(uint256 indexed jobId, address indexed host, uint256 tokensClaimed, bytes32 proofHash, string proofCID, string deltaCID)",
  "function sessionJobs(uint256) view returns (uint256 id, address depositor, address host, address paymentToken, uint256 deposit, uint256 pricePerToken, uint256 tokensUsed, uint256 maxDuration, uint256 startTime, uint256 lastProofTime, uint256 proofInterval, uint256 proofTimeoutWindow, uint8 status, uint256 withdrawnByHost, uint256 refundedToUser, string conversationCID, bytes32 lastProofHash, string lastProofCID)",
]);
const EARNINGS = new Interface([
  "event EarningsCredited(address indexed host, address indexed token, uint256 amount, uint256 newBalance)",
  "event EarningsWithdrawn(address indexed host, address indexed token, uint256 amount, uint256 remainingBalance)",
]);

export type TokenName = "ETH" | "USDC" | string;

export interface JobFacts {
  jobId: string;
  /** 0 active, 1 completed, 2 timed out. */
  status: number;
  tokensUsed: number;
  token: TokenName;
  pricePerToken: bigint;
}

export interface ProofFact {
  jobId: string;
  host: string;
  tokensClaimed: number;
  /** The job's proven tokens once this proof landed: the key that must be unique per job. */
  cumulative: number;
  txHash: string;
}

async function withProvider<T>(deployment: Deployment, read: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
  const provider = devnetProvider(deployment.rpcUrl);
  try {
    return await read(provider);
  } finally {
    provider.destroy();
  }
}

export function readJobs(deployment: Deployment, jobIds: string[]): Promise<JobFacts[]> {
  return withProvider(deployment, async (provider) => {
    const market = new Contract(deployment.contracts.jobMarketplace, MARKET, provider);
    return Promise.all(
      jobIds.map(async (jobId) => {
        const job = await market.getFunction("sessionJobs")(BigInt(jobId));
        return {
          jobId,
          status: Number(job.status),
          tokensUsed: Number(job.tokensUsed),
          token: tokenName(deployment, job.paymentToken),
          pricePerToken: job.pricePerToken as bigint,
        };
      }),
    );
  });
}

/** Every ProofSubmitted on this devnet, in chain order, each with its job's running total. */
export function readProofs(deployment: Deployment): Promise<ProofFact[]> {
  return withProvider(deployment, async (provider) => {
    const logs = await provider.getLogs({ address: deployment.contracts.jobMarketplace, fromBlock: 0, topics: [MARKET.getEvent("ProofSubmitted")!.topicHash] });
    const totals = new Map<string, number>();
    return logs.map((log) => {
      const parsed = MARKET.parseLog(log)!;
      const jobId = (parsed.args.getValue("jobId") as bigint).toString();
      const tokensClaimed = Number(parsed.args.getValue("tokensClaimed"));
      const cumulative = (totals.get(jobId) ?? 0) + tokensClaimed;
      totals.set(jobId, cumulative);
      return { jobId, host: parsed.args.getValue("host") as string, tokensClaimed, cumulative, txHash: log.transactionHash };
    });
  });
}

/** Sums of EarningsCredited (or EarningsWithdrawn) per payment token, for one host or all. */
export function readEarnings(deployment: Deployment, kind: "credited" | "withdrawn", host?: string): Promise<Record<TokenName, bigint>> {
  return withProvider(deployment, async (provider) => {
    const event = EARNINGS.getEvent(kind === "credited" ? "EarningsCredited" : "EarningsWithdrawn")!;
    const out: Record<string, bigint> = {};
    for (const log of await provider.getLogs({ address: deployment.contracts.hostEarnings, fromBlock: 0, topics: [event.topicHash] })) {
      const parsed = EARNINGS.parseLog(log)!;
      if (host && (parsed.args.getValue("host") as string).toLowerCase() !== host.toLowerCase()) continue;
      const token = tokenName(deployment, parsed.args.getValue("token"));
      out[token] = (out[token] ?? 0n) + (parsed.args.getValue("amount") as bigint);
    }
    return out;
  });
}

/** Waits until no job in the list is active any more. */
export async function waitForJobsSettled(deployment: Deployment, jobIds: string[], timeoutMs = 120_000): Promise<JobFacts[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await readJobs(deployment, jobIds);
    if (jobs.every((job) => job.status !== 0)) return jobs;
    if (Date.now() > until) {
      const open = jobs.filter((j) => j.status === 0).map((j) => `${j.jobId} (${j.tokensUsed} tokens proven)`);
      throw new Error(`sessions not settled within ${timeoutMs / 1000} s: still active ${open.join(", ")}`);
    }
    await Bun.sleep(500);
  }
}

/** The journey's summary once every session settled: proofs, tokens proven, earnings credited (human units). */
export async function waitForSettlement(deployment: Deployment, jobIds: string[], timeoutMs = 120_000) {
  await waitForJobsSettled(deployment, jobIds, timeoutMs);
  const proofs = await readProofs(deployment);
  const credited = await readEarnings(deployment, "credited");
  return {
    proofs: proofs.length,
    tokensProven: proofs.reduce((sum, p) => sum + p.tokensClaimed, 0),
    credited: humanAmounts(credited),
  };
}

/** What the contract credits the host for one settled job: tokens × price / 1000, less the 10% treasury fee. */
export function expectedCredit(job: Pick<JobFacts, "tokensUsed" | "pricePerToken">, feeBasisPoints = 1000n): bigint {
  const payment = (BigInt(job.tokensUsed) * job.pricePerToken) / 1000n;
  return payment - (payment * feeBasisPoints) / 10_000n;
}

export const tokenName = (deployment: Deployment, token: string): TokenName =>
  /^0x0{40}$/i.test(token) ? "ETH" : token.toLowerCase() === deployment.contracts.usdcToken.toLowerCase() ? "USDC" : token;

export const human = (token: TokenName, amount: bigint) => (token === "USDC" ? `${formatUnits(amount, 6)} USDC` : `${formatEther(amount)} ETH`);

export const humanAmounts = (amounts: Record<TokenName, bigint>): Record<string, string> =>
  Object.fromEntries(Object.entries(amounts).map(([t, v]) => [t, human(t, v)]));

/** The host's logs, for a failure report (a demo's home is deleted afterwards). */
export function collectLogs(home: string, lines = 40): string {
  const dir = join(home, "logs");
  try {
    return readdirSync(dir)
      .filter((name) => statSync(join(dir, name)).isFile() && !name.endsWith(".gz"))
      .map((name) => `--- ${name}\n${readFileSync(join(dir, name), "utf8").split("\n").slice(-lines).join("\n")}`)
      .join("\n");
  } catch {
    return "";
  }
}
