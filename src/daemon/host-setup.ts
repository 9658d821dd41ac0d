/**
 * Everything `start` needs from the other domains, gathered in one place: the configuration, the resolved network,
 * the node binary, the model file, the host key (only when the node signs), supervisor tuning and the components
 * (session front, proof pipeline) plugged into the running host.
 */
import { existsSync } from "node:fs";
import type { HostContext } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import { loadConfig } from "../config/store.ts";
import { resolveNetwork } from "../chain/networks.ts";
import { resolveNodeBinary } from "../node/install/installed.ts";
import { modelPath as modelFileFor, parseModelRef } from "../node/models/model-ref.ts";
import { openHostWallet } from "../wallet/signer.ts";
import { walletDepsFrom } from "../wallet/deps.ts";
import { HostError } from "../errors/host-error.ts";
import { SupervisorErrors } from "../errors/codes/supervisor.ts";
import type { NodeNetwork } from "../node/supervisor/node-env.ts";
import type { SupervisorSettings } from "../node/supervisor/types.ts";
import type { HostComponent } from "./components.ts";
import { defaultComponents } from "./default-components.ts";
import { planHostNodes } from "../node/instances/host-nodes.ts";
import type { PlannedInstance } from "../node/instances/plan.ts";
import type { NodeDirectory } from "../session/router.ts";
import type { ExtraNodes } from "../node/instances/manager.ts";

export type ComponentFactory = (context: HostContext, config: HostConfig, nodes?: NodeDirectory) => HostComponent[];

declare module "../context.ts" {
  interface HostServices {
    /** The parts of the running host around the node (front, proof pipeline, ops endpoint); default: the real ones. */
    hostComponents?: ComponentFactory;
    /** Supervisor timings that win over the config's (tests shorten them). */
    supervisorSettings?: Partial<SupervisorSettings>;
  }
}

export interface HostPlan {
  config: HostConfig;
  network: NodeNetwork;
  binaryPath: string;
  /** The first node's model file. */
  modelPath: string;
  /** The nodes to run, the first one first (one, as before, on a single-GPU host with one model). */
  instances: PlannedInstance[];
  /** Planned nodes left out because their model file is missing. */
  skipped: PlannedInstance[];
}

export async function loadHostConfig(context: HostContext): Promise<HostConfig> {
  return (await loadConfig(context, { requireFile: true })).config;
}

/** Checks everything that can be checked before anything starts, so mistakes surface at once, in the terminal. */
export async function planHost(context: HostContext, config?: HostConfig): Promise<HostPlan> {
  const loaded = config ?? (await loadHostConfig(context));
  const network = resolveNetwork(loaded);
  const binaryPath = resolveNodeBinary(context.paths, loaded);
  const nodes = await planHostNodes(context, loaded);
  // No node can start: the error (and its hint) is the one for the first model, as with a single node.
  const modelPath = nodes.runnable[0]?.modelPath ?? resolveModelPath(context, loaded);
  const instances = nodes.runnable.length > 0 ? nodes.runnable : nodes.instances.slice(0, 1).map((instance) => ({ ...instance, modelPath }));
  const skipped = nodes.instances.filter((instance) => !instances.includes(instance) && instance.neededBytes === null);
  return {
    config: loaded,
    network: { chainId: network.chainId, rpcUrls: network.rpcUrls, contracts: network.contracts },
    binaryPath,
    modelPath,
    instances,
    skipped,
  };
}

/** node.modelPath, else the first configured model's file in the models directory. */
export function resolveModelPath(context: Pick<HostContext, "paths">, config: HostConfig): string {
  const explicit = config.node.modelPath;
  if (!explicit && config.models.length === 0) {
    throw new HostError(SupervisorErrors.NODE_MODEL_MISSING, "No model is configured for this host.", {
      hint: "Try: fabstir-host update models <repo:file>, then fabstir-host models download",
    });
  }
  const path = explicit ?? modelFileFor(context.paths.modelsDir, parseModelRef(config.models[0]!));
  if (!existsSync(path)) {
    throw new HostError(SupervisorErrors.NODE_MODEL_MISSING, `The model file ${path} does not exist.`, {
      hint: explicit ? "Try: fabstir-host config set node.modelPath <existing file>" : `Try: fabstir-host models download ${config.models[0]}`,
      details: { modelPath: path },
    });
  }
  return path;
}

/**
 * For node.signer = "node": a function that unlocks the host key (the keychain, or the keystore with a password from
 * --password-file / a prompt). Undefined for "cli": the node runs keyless.
 */
export function hostKeyUnlocker(context: HostContext, config: HostConfig, passwordFile?: string): (() => Promise<string>) | undefined {
  if (config.node.signer !== "node") return undefined;
  return async () => {
    if (!config.wallet) {
      throw new HostError(SupervisorErrors.NODE_KEY_UNAVAILABLE, 'node.signer is "node", but no host key is configured.', {
        hint: "Try: fabstir-host wallet create (or set node.signer to cli)",
      });
    }
    const wallet = await openHostWallet(walletDepsFrom(context), config.wallet, { passwordFile }).unlock();
    return wallet.privateKey;
  };
}

/**
 * The host key for this process's own signing (proofs and settlements the CLI submits, in both signer modes): unlocked
 * once, where a prompt can reach the user. Undefined when no wallet is configured (the host then serves without proofs,
 * and says so loudly).
 */
export function hostSignerUnlocker(context: HostContext, config: HostConfig, passwordFile?: string): (() => Promise<string>) | undefined {
  if (!config.wallet) return undefined;
  let unlocked: Promise<string> | undefined;
  return () =>
    (unlocked ??= openHostWallet(walletDepsFrom(context), config.wallet, { passwordFile })
      .unlock()
      .then((wallet) => wallet.privateKey));
}

/**
 * The components of the running host: the session front and proof pipeline, and the ops endpoint. `extraNodes`: the
 * nodes besides the first, once they exist (a host that runs one node per model or GPU).
 */
export function hostComponents(
  context: HostContext,
  config: HostConfig,
  unlockSigner?: () => Promise<string>,
  nodes?: NodeDirectory,
  extraNodes?: () => ExtraNodes | undefined,
): HostComponent[] {
  const factory = context.services.hostComponents;
  if (factory) return factory(context, config, nodes);
  return defaultComponents(context, config, unlockSigner, nodes, extraNodes);
}

/**
 * Optional supervisor tuning from the config (`node.supervisor`, when the schema carries it), then the context's
 * `supervisorSettings` service.
 * Defaults: ready within 180 s, /health every 10 s, 3 failed checks = hung, 5 failures in 10 min = crash loop.
 */
interface SupervisorTuning {
  startupTimeoutSeconds?: number;
  healthIntervalSeconds?: number;
  hangChecks?: number;
  stopTimeoutSeconds?: number;
  crashLoopMax?: number;
  crashLoopWindowMinutes?: number;
}

export function supervisorSettingsFor(context: HostContext, config: HostConfig, startupTimeoutMs?: number): Partial<SupervisorSettings> {
  const tuning = ((config.node as { supervisor?: SupervisorTuning }).supervisor ?? {}) as SupervisorTuning;
  const settings: Partial<SupervisorSettings> = {};
  if (tuning.startupTimeoutSeconds) settings.startupTimeoutMs = tuning.startupTimeoutSeconds * 1000;
  if (tuning.healthIntervalSeconds) settings.healthIntervalMs = tuning.healthIntervalSeconds * 1000;
  if (tuning.hangChecks) settings.hangThreshold = tuning.hangChecks;
  if (tuning.stopTimeoutSeconds) settings.stopTimeoutMs = tuning.stopTimeoutSeconds * 1000;
  if (tuning.crashLoopMax || tuning.crashLoopWindowMinutes) {
    settings.crashLoop = { maxCrashes: tuning.crashLoopMax ?? 5, windowMs: (tuning.crashLoopWindowMinutes ?? 10) * 60_000 };
  }
  if (startupTimeoutMs) settings.startupTimeoutMs = startupTimeoutMs;
  return { ...settings, ...(context.services.supervisorSettings ?? {}) };
}
