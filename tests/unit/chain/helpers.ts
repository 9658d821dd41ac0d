/** Test doubles for the chain unit tests: contract addresses, a full HostConfig with chain defaults, and a clock the test moves. */
import type { HostConfig } from "../../../src/config/types.ts";
import type { Clock } from "../../../src/util/clock.ts";

/** A contract address for every key, each valid and distinct (a custom network's or a deployment file's). */
export const TEST_CONTRACTS = {
  jobMarketplace: "0x1000000000000000000000000000000000000001",
  nodeRegistry: "0x1000000000000000000000000000000000000002",
  hostEarnings: "0x1000000000000000000000000000000000000003",
  modelRegistry: "0x1000000000000000000000000000000000000004",
  proofSystem: "0x1000000000000000000000000000000000000005",
  fabToken: "0x1000000000000000000000000000000000000006",
  usdcToken: "0x1000000000000000000000000000000000000007",
};

export function testConfig(overrides: Partial<HostConfig> = {}): HostConfig {
  return {
    version: 1,
    network: "base-sepolia",
    rpcUrls: ["https://sepolia.base.org"],
    chainId: 84532,
    contracts: {},
    deploymentFile: null,
    wallet: null,
    publicUrl: null,
    models: [],
    prices: {},
    host: { location: null, maxConcurrent: 4 },
    node: {
      version: null,
      binaryPath: null,
      signer: "node",
      internalPort: 18080,
      apiPort: 8080,
      p2pPort: 9000,
      gpuLayers: 35,
      contextLength: 8192,
      batchSize: 2048,
      modelPath: null,
      extraEnv: {},
      manifestUrl: "https://example.invalid/manifest.json",
      logLevel: "info",
    },
    tx: { confirmations: 1, maxFeeGwei: 10, gasMarginPercent: 20, pendingTimeoutSeconds: 120 },
    proofs: { graceSeconds: 30 },
    logging: { level: "info", maxSizeMb: 10, maxFiles: 5 },
    metrics: { enabled: false, listen: "127.0.0.1:9090" },
    alerts: { webhookUrl: null, format: "json", telegramChatId: null, minEthProofs: 0 },
    modelHost: { baseUrl: "https://huggingface.co" },
    updates: { check: false },
    s5: { url: null },
    ...overrides,
  };
}

/** Time stands still until the test (or a sleep) moves it; sleeps resolve at once and are recorded. */
export class FakeClock implements Clock {
  sleeps: number[] = [];
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
  private timers: { every: number; next: number; fn: () => void }[] = [];
  /** Repeating timers fire when the test moves time past them, never on their own. */
  every(ms: number, fn: () => void): () => void {
    const timer = { every: ms, next: this.time + ms, fn };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((t) => t !== timer));
  }
  /** A one-shot timer: a repeating one that removes itself when it fires. */
  after(ms: number, fn: () => void): () => void {
    const stop = this.every(Math.max(0, ms), () => {
      stop();
      fn();
    });
    return stop;
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.next <= until).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.time = due.next;
      due.next += due.every;
      due.fn();
    }
    this.time = until;
  }
}
