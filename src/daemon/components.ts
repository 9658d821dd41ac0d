/**
 * Extension points of the running host. The session front and the proof pipeline plug in as components; anything
 * else can register drain and reload hooks on the runtime it is given.
 */
import type { HostConfig } from "../config/types.ts";
import type { Paths } from "../config/paths.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import type { Supervisor } from "../node/supervisor/index.ts";
import { TIMED_OUT, withTimeout } from "../node/supervisor/timeout.ts";

/** Finish in-flight work (e.g. submit pending proofs) before `deadline` (epoch ms); the node stops after. */
export type DrainHook = (deadline: number) => Promise<void>;
/** Apply a new configuration; throw to reject it (the host logs the error and keeps the old one for this hook). */
export type ReloadHook = (config: HostConfig) => Promise<void>;

export interface HostComponent {
  readonly name: string;
  /** Called once the node is ready, in the order given. */
  start(host: HostRuntime): Promise<void>;
  drain?(deadline: number): Promise<void>;
  reload?(config: HostConfig): Promise<void>;
  /** Called in reverse order, before the node stops. */
  stop(): Promise<void>;
}

export interface HostRuntime {
  readonly config: HostConfig;
  readonly paths: Paths;
  readonly logger: Logger;
  readonly supervisor: Supervisor;
  /** The node's loopback base URL, while it runs. */
  nodeUrl(): string | undefined;
  onDrain(hook: DrainHook): () => void;
  onReload(hook: ReloadHook): () => void;
}

export class HostRuntimeImpl implements HostRuntime {
  private readonly drainHooks = new Set<DrainHook>();
  private readonly reloadHooks = new Set<ReloadHook>();

  constructor(
    public config: HostConfig,
    readonly paths: Paths,
    readonly logger: Logger,
    readonly supervisor: Supervisor,
  ) {}

  nodeUrl(): string | undefined {
    const status = this.supervisor.status();
    return status.state === "running" && status.port ? `http://127.0.0.1:${status.port}` : undefined;
  }

  onDrain(hook: DrainHook): () => void {
    this.drainHooks.add(hook);
    return () => this.drainHooks.delete(hook);
  }

  onReload(hook: ReloadHook): () => void {
    this.reloadHooks.add(hook);
    return () => this.reloadHooks.delete(hook);
  }

  /** Runs every drain (components' and registered hooks) in parallel until all finish, the deadline, or `forced`. */
  async drain(components: HostComponent[], deadline: number, forced: Promise<void>): Promise<void> {
    const hooks: [string, DrainHook][] = [
      ...components.filter((c) => c.drain).map((c): [string, DrainHook] => [c.name, (d) => c.drain!(d)]),
      ...[...this.drainHooks].map((hook, index): [string, DrainHook] => [`drain hook ${index + 1}`, hook]),
    ];
    if (hooks.length === 0) return;
    const all = Promise.all(
      hooks.map(async ([name, hook]) => {
        try {
          await hook(deadline);
        } catch (error) {
          this.logger.error(`Drain of ${name} failed`, { error: (error as Error).message });
        }
      }),
    );
    const outcome = await withTimeout(Promise.race([all.then(() => "done" as const), forced.then(() => "forced" as const)]), deadline - Date.now());
    if (outcome === TIMED_OUT) this.logger.warn("Drain deadline reached; stopping with work still in flight");
  }

  /** Hands a new configuration to every component and hook; one that refuses keeps its old settings. */
  async reload(config: HostConfig, components: HostComponent[]): Promise<void> {
    const targets: [string, ReloadHook][] = [
      ...components.filter((c) => c.reload).map((c): [string, ReloadHook] => [c.name, (next) => c.reload!(next)]),
      ...[...this.reloadHooks].map((hook, index): [string, ReloadHook] => [`reload hook ${index + 1}`, hook]),
    ];
    for (const [name, hook] of targets) {
      try {
        await hook(config);
      } catch (error) {
        this.logger.error(`${name} rejected the new configuration; it keeps the previous one`, { error: (error as Error).message });
      }
    }
    this.config = config;
  }
}
