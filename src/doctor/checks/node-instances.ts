/**
 * Which node serves which model on which GPUs (node.instances, or the plan made from the GPUs and the model sizes),
 * and whether every GPU holds what is put on it. A host that registers a model no node loads, or a node that cannot
 * fit, takes clients' money for answers it cannot give.
 */
import { statSync } from "node:fs";
import type { DoctorCheck } from "../types.ts";
import { planInstances } from "../../node/instances/plan.ts";
import { formatBytes } from "../../node/gpu/system.ts";

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

export const nodeInstancesCheck: DoctorCheck = {
  id: "node-instances",
  title: "Nodes, models and GPUs",
  async run(ctx) {
    const config = ctx.config;
    if (!config) return { status: "skip", summary: "no configuration" };
    if (config.models.length === 0 && !config.node.modelPath)
      return { status: "skip", summary: "no model configured", fix: "Add one with `fabstir-host update models`." };
    let plan;
    try {
      plan = planInstances({ config, modelsDir: ctx.paths.modelsDir, gpu: await ctx.gpu(), fileSize });
    } catch (error) {
      return { status: "fail", summary: (error as Error).message, fix: "Fix node.instances (fabstir-host config set node.instances '[…]')." };
    }
    const lines = plan.instances.map(
      (i) =>
        `${i.name}: ${i.model ?? i.modelPath} on ${i.gpus.length > 0 ? `GPU ${i.gpus.join("+")}` : "any GPU"}${i.neededBytes !== null ? ` (~${formatBytes(i.neededBytes)})` : ""}, port ${i.internalPort}`,
    );
    const served = new Set(plan.instances.map((i) => i.model).filter(Boolean));
    const unserved = config.models.filter((m) => !served.has(m));
    const details: Record<string, unknown> = {
      source: plan.source,
      instances: plan.instances.map(({ name, model, gpus, gpuLayers, contextLength, internalPort, p2pPort, neededBytes }) => ({
        name,
        model,
        gpus,
        gpuLayers,
        contextLength,
        internalPort,
        p2pPort,
        neededBytes,
      })),
      unservedModels: unserved,
      problems: plan.problems,
    };
    const summary = `${plan.instances.length} node${plan.instances.length === 1 ? "" : "s"} (${plan.source === "config" ? "node.instances" : plan.source === "default" ? "one per GPU" : "single"}): ${lines.join("; ")}`;
    const problems = [...plan.problems];
    if (unserved.length > 0) {
      problems.push({
        instance: "",
        message: `No node loads ${unserved.join(", ")}`,
        fix: `Add a node for ${unserved[0]} to node.instances, or take it off with \`fabstir-host update models\`.`,
      });
    }
    if (problems.length === 0) return { status: "pass", summary, details };
    return { status: "fail", summary: `${summary}. ${problems.map((p) => p.message).join("; ")}`, fix: problems.map((p) => p.fix).join(" "), details };
  },
};
