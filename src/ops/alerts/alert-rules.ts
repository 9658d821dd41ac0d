/**
 * When to alert. Each rule turns facts the host reports into an Alert; the sender handles de-duplication, rate
 * limits and delivery. Rules never throw and never wait on the webhook (delivery runs in the background).
 */
import { formatEther } from "ethers";
import type { Alert, AlertKind, AlertSeverity } from "./alert-types.ts";
import type { SendOutcome } from "./alert-sender.ts";

export interface AlertRulesOptions {
  send: (alert: Alert) => Promise<SendOutcome>;
  now: () => number;
  /** Alert when the wallet cannot pay for this many more proofs (alerts.minEthProofs). */
  minEthProofs: number;
  /** This many node restarts within `crashLoopWindowMs` is a crash loop. */
  crashLoopRestarts?: number;
  crashLoopWindowMs?: number;
}

export class AlertRules {
  /** Restart times per node ("" is the first node): each node's crash loop is its own. */
  private readonly restarts = new Map<string, number[]>();
  /** Deliveries in flight, so a shutdown can wait for them. */
  readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: AlertRulesOptions) {}

  /** A reloaded alerts.minEthProofs applies from the next balance reading. */
  setMinEthProofs(proofs: number): void {
    this.options.minEthProofs = proofs;
  }

  /** `which`: the node, on a host that runs several (the first node's alerts name none). */
  nodeDown(reason: string, which?: NodeName): void {
    const { subject, name } = nodeWords(which);
    this.raise("node_down", "critical", subject, `Inference ${name} is down`, `The inference ${name} stopped and is not serving: ${reason}`);
  }

  /** Call on every restart; alerts once a node's restarts come faster than the crash-loop threshold. */
  nodeRestarted(reason?: string, which?: NodeName): void {
    const now = this.options.now();
    const window = this.options.crashLoopWindowMs ?? 10 * 60_000;
    const recent = (this.restarts.get(which?.node ?? "") ?? []).filter((at) => now - at < window && at <= now).concat(now);
    this.restarts.set(which?.node ?? "", recent);
    const limit = this.options.crashLoopRestarts ?? 3;
    if (recent.length >= limit) {
      const { subject, name, logs } = nodeWords(which);
      this.raise(
        "node_crash_loop",
        "critical",
        subject,
        `Inference ${name} is crash-looping`,
        `The ${name} restarted ${recent.length} times in the last ${Math.round(window / 60_000)} minutes${reason ? ` (last: ${reason})` : ""}. Check ${logs}.`,
        { restarts: recent.length, ...(which ? { node: which.node } : {}) },
      );
    }
  }

  proofFailedPermanently(jobId: string | bigint, reason: string, tokens?: number): void {
    this.raise(
      "proof_failed_permanently",
      "critical",
      `job ${jobId}`,
      `Proof for job ${jobId} failed for good`,
      `A checkpoint proof was given up after retries: ${reason}. The tokens it covered will not be paid.`,
      tokens !== undefined ? { jobId: String(jobId), tokens } : { jobId: String(jobId) },
    );
  }

  /** `proofCostWei`: what one proof costs in gas now (gas used × fee per gas). */
  walletBalance(balanceWei: bigint, proofCostWei: bigint, address?: string): void {
    const needed = proofCostWei * BigInt(Math.max(0, this.options.minEthProofs));
    if (balanceWei >= needed) return;
    const proofsLeft = proofCostWei > 0n ? balanceWei / proofCostWei : 0n;
    this.raise(
      "eth_balance_low",
      "warning",
      address ?? "wallet",
      "Wallet ETH is running low",
      `The host wallet holds ${formatEther(balanceWei)} ETH, enough for about ${proofsLeft} more proofs (alert threshold: ${this.options.minEthProofs}). Without gas, proofs stop and sessions go unpaid. Send ETH to the host address.`,
      { balanceEth: formatEther(balanceWei), proofsLeft: proofsLeft.toString(), neededEth: formatEther(needed) },
    );
  }

  stakeSlashed(amountWei: bigint, remainingWei?: bigint): void {
    this.raise(
      "stake_slashed",
      "critical",
      "stake",
      "Stake slashed",
      `${formatEther(amountWei)} FAB of the host's stake was slashed.${remainingWei !== undefined ? ` ${formatEther(remainingWei)} FAB remain staked.` : ""}`,
      remainingWei !== undefined ? { slashedFab: formatEther(amountWei), remainingFab: formatEther(remainingWei) } : { slashedFab: formatEther(amountWei) },
    );
  }

  hostUnregistered(reason: string): void {
    this.raise(
      "host_unregistered",
      "critical",
      "registration",
      "Host is no longer registered",
      `The node registry no longer lists this host: ${reason}. Clients cannot find it. Run \`fabstir-host status\`, then \`fabstir-host register\`.`,
    );
  }

  rpcAllDown(endpointCount: number, lastError: string): void {
    this.raise(
      "rpc_all_down",
      "critical",
      "rpc",
      "Every RPC endpoint is failing",
      `None of the ${endpointCount} configured RPC endpoints answers (last error: ${lastError}). Proofs and earnings wait until one comes back. Add a fallback with \`fabstir-host config set rpcUrls …\`.`,
      { endpoints: endpointCount },
    );
  }

  /**
   * Session_inits the public port refused (unknown, finished or another host's jobs), already summed per address by
   * the front: one alert per address, however many inits it sent.
   */
  sessionsRefused(address: string, count: number, summary: string): void {
    this.raise(
      "sessions_refused",
      "warning",
      `address ${address}`,
      `Sessions refused from ${address}`,
      `${summary}. Nothing reached the node and nothing was recorded; a client repeating this is probing or misconfigured.`,
      { address, refused: count },
    );
  }

  /** Waits for deliveries in flight (at shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private raise(kind: AlertKind, severity: AlertSeverity, subject: string, title: string, message: string, details?: Alert["details"]): void {
    const work = this.options.send({ kind, severity, subject, title, message, details, at: this.options.now() }).catch(() => undefined);
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}

export interface NodeName {
  node: string;
  model: string | null;
}

/** How an alert names a node: "node" alone for the first (or only) one, else its name and model. */
function nodeWords(which: NodeName | undefined): { subject: string; name: string; logs: string } {
  if (!which) return { subject: "node", name: "node", logs: "`fabstir-host logs --component node`" };
  const model = which.model ? ` (${which.model})` : "";
  // Each node besides the first writes its console to logs/<name>/node.log (src/node/instances/manager.ts).
  return { subject: `node ${which.node}`, name: `node ${which.node}${model}`, logs: `logs/${which.node}/node.log in the host's directory` };
}
