/**
 * Judging a host from the outside after a rough run: what the chain says about its sessions (settled, each range of
 * tokens proven once, earnings credited), which of its processes still live, what its metrics endpoint counts, and
 * whether anything it wrote holds its key or password.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Wallet } from "ethers";
import type { Deployment } from "../../../scripts/devnet/types.ts";
import { expectedCredit, readEarnings, readJobs, readProofs, type JobFacts, type ProofFact } from "../../../scripts/demo/chain-facts.ts";
import type { ChatOutcome } from "./clients.ts";

export interface JobVerdict {
  jobId: string;
  token: string;
  status: number;
  /** Tokens the client received. */
  served: number;
  /** tokensUsed on chain. */
  proven: number;
  /** Sum of this job's ProofSubmitted claims (must equal `proven`). */
  claimed: number;
  proofs: number;
}

export interface SettlementVerdict {
  jobs: JobVerdict[];
  /** "job:cumulative" pairs that more than one ProofSubmitted reached. */
  duplicateProofs: string[];
  /** Proofs of these jobs signed by someone other than the host. */
  foreignProofs: ProofFact[];
  credited: Record<string, bigint>;
  expectedCredited: Record<string, bigint>;
}

/** Reads the chain once every job of `outcomes` is expected to be settled. */
export async function judgeSettlement(deployment: Deployment, host: string, outcomes: ChatOutcome[]): Promise<SettlementVerdict> {
  const jobIds = outcomes.map((o) => o.jobId);
  const jobs = await readJobs(deployment, jobIds);
  const ours = new Set(jobIds);
  const proofs = (await readProofs(deployment)).filter((p) => ours.has(p.jobId));
  const seen = new Map<string, number>();
  for (const proof of proofs) seen.set(`${proof.jobId}:${proof.cumulative}`, (seen.get(`${proof.jobId}:${proof.cumulative}`) ?? 0) + 1);
  const expectedCredited: Record<string, bigint> = {};
  for (const job of jobs) expectedCredited[job.token] = (expectedCredited[job.token] ?? 0n) + expectedCredit(job);
  return {
    jobs: jobs.map((job: JobFacts, i) => {
      const mine = proofs.filter((p) => p.jobId === job.jobId);
      return {
        jobId: job.jobId,
        token: job.token,
        status: job.status,
        served: outcomes[i]!.tokens,
        proven: job.tokensUsed,
        claimed: mine.reduce((s, p) => s + p.tokensClaimed, 0),
        proofs: mine.length,
      };
    }),
    duplicateProofs: [...seen].filter(([, count]) => count > 1).map(([key]) => key),
    foreignProofs: proofs.filter((p) => p.host.toLowerCase() !== host.toLowerCase()),
    credited: await readEarnings(deployment, "credited", host),
    expectedCredited,
  };
}

/**
 * Whole checkpoints of what a client received are always provable; more may be (a remainder of 100 or more once the
 * session ended); never more than was served.
 */
export function provableRange(served: number, interval = 100): { min: number; max: number } {
  return { min: Math.floor(served / interval) * interval, max: served };
}

/** A process that is running; a zombie (exited, not yet reaped by its parent, e.g. a container's init) is not. */
export function isAlive(pid: number): boolean {
  if (existsSync("/proc/self")) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const state = stat.charAt(stat.lastIndexOf(")") + 2);
      return state !== "Z" && state !== "X";
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Polls until `condition` holds; throws with `what` after the deadline. */
export async function waitUntil<T>(
  what: string,
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await Bun.sleep(everyMs);
  }
}

/** A Prometheus text exposition's samples summed per metric name (labels ignored), or per `name{labels}` with `byLabels`. */
export async function readMetrics(url: string, byLabels = false): Promise<Record<string, number>> {
  const text = await (await fetch(url)).text();
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const key = byLabels ? match[1]! + (match[2] ?? "") : match[1]!;
    out[key] = (out[key] ?? 0) + Number(match[3]);
  }
  return out;
}

/** Jobs the host's own proof pipeline (not the node) proved or settled, from its proofs log. */
export function cliActions(home: string): { proved: Set<string>; settled: Set<string> } {
  const proved = new Set<string>();
  const settled = new Set<string>();
  let text = "";
  try {
    text = readFileSync(join(home, "logs", "proofs.log"), "utf8");
  } catch {
    return { proved, settled };
  }
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { message?: string; jobId?: string };
    if (entry.message === "proof submitted" && entry.jobId) proved.add(entry.jobId);
    if (entry.message === "session settled" && entry.jobId) settled.add(entry.jobId);
  }
  return { proved, settled };
}

export interface LeakScan {
  /** How many files were read (the encrypted keystore excepted). */
  files: number;
  /** Where a secret turned up: "file path: what", or "output N: what". */
  leaks: string[];
}

/**
 * Every command's output and every file under the host's home (rotated .gz logs decompressed), searched for the host's
 * private key (with and without 0x) and the keystore password. The key comes from decrypting the keystore, as an
 * attacker holding the password would.
 */
export function scanForSecrets(home: string, address: string, passwordFile: string, outputs: string[]): LeakScan {
  const password = readFileSync(passwordFile, "utf8").trim();
  const keystorePath = join(home, "keystore", `${address.toLowerCase()}.json`);
  const privateKey = Wallet.fromEncryptedJsonSync(readFileSync(keystorePath, "utf8"), password).privateKey;
  const needles: [string, string][] = [
    [privateKey, "private key"],
    [privateKey.slice(2), "private key without 0x"],
    [password, "keystore password"],
  ];
  const leaks: string[] = [];
  outputs.forEach((text, i) => {
    for (const [needle, what] of needles) if (text.includes(needle)) leaks.push(`output ${i}: ${what}`);
  });
  let files = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && path !== keystorePath) {
        files++;
        const raw = readFileSync(path);
        const text = path.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
        for (const [needle, what] of needles) if (text.includes(needle)) leaks.push(`${path}: ${what}`);
      }
    }
  };
  walk(home);
  return { files, leaks };
}
