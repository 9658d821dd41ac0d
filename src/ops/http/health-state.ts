/**
 * What /healthz and /readyz answer, kept up to date by the parts of the host that know: the supervisor sets "node",
 * the RPC pool sets "chain", the registration check sets "registered". The host's main loop calls `beat()`; if it
 * stops beating (a wedged loop), liveness fails and a service manager or Kubernetes restarts the process.
 */
export type ReadinessCheck = "node" | "chain" | "registered" | (string & {});

export interface CheckState {
  name: ReadinessCheck;
  ready: boolean;
  detail: string | null;
  /** When this state began (ISO). */
  since: string | null;
}

export interface HealthStateOptions {
  now?: () => number;
  /** Checks that must all be ready for /readyz to answer 200. */
  required?: ReadinessCheck[];
  /** Liveness fails when the loop has beaten at least once and then not for this long. */
  livenessTimeoutMs?: number;
}

export class HealthState {
  private readonly checks = new Map<string, CheckState>();
  private readonly now: () => number;
  private readonly startedAt: number;
  private lastBeat: number | undefined;

  constructor(private readonly options: HealthStateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    for (const name of options.required ?? ["node", "chain", "registered"]) {
      this.checks.set(name, { name, ready: false, detail: "not checked yet", since: null });
    }
  }

  set(name: ReadinessCheck, ready: boolean, detail: string | null = null): void {
    const previous = this.checks.get(name);
    const since = previous && previous.ready === ready && previous.since ? previous.since : new Date(this.now()).toISOString();
    this.checks.set(name, { name, ready, detail, since });
  }

  beat(): void {
    this.lastBeat = this.now();
  }

  liveness(): { alive: boolean; uptimeSeconds: number; lastBeatSecondsAgo: number | null } {
    const now = this.now();
    const ago = this.lastBeat === undefined ? null : (now - this.lastBeat) / 1000;
    const limit = (this.options.livenessTimeoutMs ?? 120_000) / 1000;
    return { alive: ago === null || ago <= limit, uptimeSeconds: Math.max(0, (now - this.startedAt) / 1000), lastBeatSecondsAgo: ago };
  }

  readiness(): { ready: boolean; checks: CheckState[]; notReady: CheckState[] } {
    const checks = [...this.checks.values()];
    const notReady = checks.filter((check) => !check.ready);
    return { ready: notReady.length === 0, checks, notReady };
  }
}
