/**
 * Which node serves which model on which GPUs. The real node loads exactly one GGUF (MODEL_PATH) and never compares a
 * session's model with it (fabstir-llm-node@85a87b8 src/main.rs:37-41, 243-290; `ModelIdMismatch` is declared in
 * src/model_validation.rs:53-54 but nothing produces it, and REQUIRE_MODEL_VALIDATION only checks MODEL_PATH against
 * the host's registered models once, at start: src/main.rs:83-237). So a host serves a model only if a node of its
 * own loads it: one node per model, and by default one node per GPU.
 *
 * The plan comes from `node.instances` when set, else from GPU detection and each model's file size. Pure: the
 * caller hands in the GPU report and a way to size files, so tests use recorded nvidia-smi outputs.
 */
import type { HostConfig } from "../../config/types.ts";
import type { GpuReport } from "../gpu/types.ts";
import { MIB } from "../gpu/types.ts";
import { modelPath as modelFileFor, parseModelRef } from "../models/model-ref.ts";
import { modelIdFor } from "../models/lookup-hash.ts";

/** Weights plus KV cache and scratch buffers need roughly the file size × 1.2 (the same rule as doctor's vram check). */
export const VRAM_OVERHEAD = 1.2;

export interface PlannedInstance {
  /** "node" for the first (its log is node.log, as before), "node-2", "node-3" … for the others. */
  name: string;
  /** `repo:file`; null only for a node.modelPath that names no configured model. */
  model: string | null;
  /** bytes32 model id (ModelRegistry.getModelId), lower-case; null with `model`. */
  modelId: string | null;
  modelPath: string;
  /** GPU indices; empty = whatever the node sees (no CUDA_VISIBLE_DEVICES is set). */
  gpus: number[];
  gpuLayers: number;
  contextLength: number;
  internalPort: number;
  p2pPort: number;
  /** Estimated GPU memory this node needs; null when the file is missing. */
  neededBytes: number | null;
}

export interface PlanProblem {
  instance: string;
  /** What is wrong, in a sentence. */
  message: string;
  fix: string;
}

export interface InstancePlan {
  /** config: node.instances; default: planned from the GPUs; single: node.modelPath or one GPU, one model (as before). */
  source: "config" | "default" | "single";
  instances: PlannedInstance[];
  problems: PlanProblem[];
}

export interface PlanInputs {
  config: HostConfig;
  modelsDir: string;
  gpu: Pick<GpuReport, "gpus" | "failure">;
  /** The file's size in bytes, or null when it does not exist. */
  fileSize: (path: string) => number | null;
}

interface Draft {
  model: string | null;
  modelPath: string;
  gpus: number[];
  gpuLayers?: number;
  contextLength?: number;
}

export function planInstances(inputs: PlanInputs): InstancePlan {
  const { config } = inputs;
  const gpus = inputs.gpu.failure ? [] : inputs.gpu.gpus;
  const fileOf = (model: string) => modelFileFor(inputs.modelsDir, parseModelRef(model));
  let source: InstancePlan["source"];
  let drafts: Draft[];
  if (config.node.instances && config.node.instances.length > 0) {
    source = "config";
    drafts = config.node.instances.map((entry) => ({ ...entry, modelPath: fileOf(entry.model) }));
  } else if (config.node.modelPath || (config.models.length <= 1 && gpus.length <= 1)) {
    source = "single";
    const model = config.models[0] ?? null;
    drafts = [{ model, modelPath: config.node.modelPath ?? (model ? fileOf(model) : ""), gpus: [] }];
  } else {
    source = "default";
    drafts = spread(
      config.models,
      gpus.map((g) => g.memoryTotalMiB * MIB),
      (model) => need(inputs.fileSize(fileOf(model))),
      fileOf,
    );
  }
  const instances = drafts.map((draft, index) => finish(draft, index, config, inputs.fileSize));
  return { source, instances, problems: [...checkModels(instances, config), ...checkFit(instances, gpus)] };
}

const need = (size: number | null) => (size === null ? null : Math.ceil(size * VRAM_OVERHEAD));

/**
 * One node per GPU: every model first gets the fewest GPUs that hold it (largest model first), then the GPUs left
 * take more copies of the models in turn. Models for which no GPU is left share the GPUs with the most room.
 */
function spread(models: string[], vram: number[], needOf: (model: string) => number | null, fileOf: (model: string) => string): Draft[] {
  if (vram.length === 0) return models.map((model) => ({ model, modelPath: fileOf(model), gpus: [] }));
  const smallest = Math.min(...vram);
  const sized = models.map((model) => ({ model, needed: needOf(model) ?? 0 })).sort((a, b) => b.needed - a.needed);
  const width = (needed: number) => Math.min(vram.length, Math.max(1, Math.ceil(needed / smallest)));
  const free = vram.map((_, index) => index);
  const used = vram.map(() => 0);
  const drafts: Draft[] = [];
  const take = (model: string, needed: number, gpus: number[]) => {
    for (const gpu of gpus) used[gpu]! += needed / gpus.length;
    drafts.push({ model, modelPath: fileOf(model), gpus });
  };
  const unplaced: typeof sized = [];
  for (const entry of sized) {
    const k = width(entry.needed);
    if (free.length >= k) take(entry.model, entry.needed, free.splice(0, k));
    else unplaced.push(entry);
  }
  // Copies on the GPUs left, in turn, while a whole group still fits.
  for (let placed = true; placed && free.length > 0; ) {
    placed = false;
    for (const entry of sized) {
      const k = width(entry.needed);
      if (unplaced.includes(entry) || free.length < k) continue;
      take(entry.model, entry.needed, free.splice(0, k));
      placed = true;
    }
  }
  for (const entry of unplaced) {
    const k = width(entry.needed);
    const roomiest = vram
      .map((size, index) => ({ index, room: size - used[index]! }))
      .sort((a, b) => b.room - a.room)
      .slice(0, k)
      .map((g) => g.index)
      .sort((a, b) => a - b);
    take(entry.model, entry.needed, roomiest);
  }
  return drafts;
}

function finish(draft: Draft, index: number, config: HostConfig, fileSize: (path: string) => number | null): PlannedInstance {
  const base = config.node.internalPort;
  // Ports side by side; the node's P2P port also takes +1 (tcp) and +2 (udp), and none may land on the public port.
  let internalPort = base ? base + index : 0;
  if (internalPort && internalPort >= config.node.apiPort && base < config.node.apiPort) internalPort += 1;
  const model = draft.model;
  const ref = model ? parseModelRef(model) : null;
  return {
    name: index === 0 ? "node" : `node-${index + 1}`,
    model,
    modelId: ref ? modelIdFor(ref.repo, ref.file).toLowerCase() : null,
    modelPath: draft.modelPath,
    gpus: draft.gpus,
    gpuLayers: draft.gpuLayers ?? config.node.gpuLayers,
    contextLength: draft.contextLength ?? config.node.contextLength,
    internalPort,
    p2pPort: config.node.p2pPort + 3 * index,
    neededBytes: draft.modelPath ? need(fileSize(draft.modelPath)) : null,
  };
}

function checkModels(instances: PlannedInstance[], config: HostConfig): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const instance of instances) {
    if (instance.model && !config.models.includes(instance.model)) {
      problems.push({
        instance: instance.name,
        message: `${instance.name} loads ${instance.model}, which is not one of the host's models`,
        fix: `Run \`fabstir-host update models\` with ${instance.model}, or change node.instances.`,
      });
    }
    if (instance.neededBytes === null) {
      problems.push({
        instance: instance.name,
        message: `${instance.name}: the model file ${instance.modelPath || "(none)"} is not there`,
        fix: instance.model ? `Run \`fabstir-host models download ${instance.model}\`.` : "Add a model with `fabstir-host update models`.",
      });
    }
  }
  return problems;
}

/** Every GPU must hold its share of every node placed on it (llama.cpp splits layers evenly across a node's GPUs). */
function checkFit(instances: PlannedInstance[], gpus: GpuReport["gpus"]): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const load = new Map<number, { bytes: number; names: string[] }>();
  for (const instance of instances) {
    for (const gpu of instance.gpus) {
      if (!gpus.some((g) => g.index === gpu)) {
        problems.push({
          instance: instance.name,
          message: `${instance.name} is assigned GPU ${gpu}, which this machine does not have (${gpus.length} found)`,
          fix: `Change node.instances to use GPUs 0-${Math.max(0, gpus.length - 1)} (fabstir-host config set node.instances '…').`,
        });
        continue;
      }
      const entry = load.get(gpu) ?? { bytes: 0, names: [] };
      entry.bytes += (instance.neededBytes ?? 0) / instance.gpus.length;
      entry.names.push(instance.name);
      load.set(gpu, entry);
    }
  }
  for (const [index, entry] of load) {
    const gpu = gpus.find((g) => g.index === index)!;
    const total = gpu.memoryTotalMiB * MIB;
    if (entry.bytes <= total) continue;
    problems.push({
      instance: entry.names.join(", "),
      message: `GPU ${index} (${gpu.name}, ${Math.round(gpu.memoryTotalMiB / 1024)} GiB) would need ~${Math.ceil(entry.bytes / 2 ** 30)} GiB for ${entry.names.join(", ")}`,
      fix: 'Give the model more GPUs or a GPU of its own in node.instances (e.g. "gpus":[0,1]), lower its gpuLayers, or choose a smaller quantization.',
    });
  }
  return problems;
}

/** CUDA_VISIBLE_DEVICES for a node: its GPUs, or nothing when it may use whatever it sees. */
export function visibleDevices(instance: Pick<PlannedInstance, "gpus">): string | undefined {
  return instance.gpus.length > 0 ? instance.gpus.join(",") : undefined;
}
