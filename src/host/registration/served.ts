/**
 * A host registers only what a node of its own will serve: a node loads one model file and answers any session
 * (fabstir-llm-node@85a87b8 src/main.rs:243-290), so a model put on chain without a node would be paid for at its
 * price and answered by another model. Each model needs its file downloaded and a place in the node plan
 * (node.instances, or the plan made from the GPUs).
 */
import type { HostContext } from "../../context.ts";
import type { HostConfig } from "../../config/types.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";
import { planHostNodes } from "../../node/instances/host-nodes.ts";

export interface UnservedModel {
  model: string;
  reason: string;
}

export async function unservedModels(context: HostContext, config: HostConfig, models: string[]): Promise<UnservedModel[]> {
  const plan = await planHostNodes(context, { ...config, models });
  const out: UnservedModel[] = [];
  for (const model of models) {
    const nodes = plan.instances.filter((instance) => instance.model === model);
    if (nodes.length === 0) out.push({ model, reason: "no node in node.instances loads it" });
    else if (nodes.every((instance) => instance.neededBytes === null)) out.push({ model, reason: `its file is not downloaded (${nodes[0]!.modelPath})` });
  }
  return out;
}

/**
 * Refuses (FH0317) when a model would have no node; with `allow` (--yes) returns the warnings to show instead.
 * node.modelPath (one file for one node, the single-node setting) serves only the first model.
 */
export async function requireServed(context: HostContext, config: HostConfig, models: string[], allow: boolean): Promise<string[]> {
  const unserved = await unservedModels(context, config, models);
  if (unserved.length === 0) return [];
  const lines = unserved.map((u) => `${u.model}: ${u.reason}`);
  if (allow) return lines.map((line) => `No node will serve ${line}; clients who pick it for this host get no answer from its model.`);
  const first = unserved[0]!;
  throw new HostError(HostErrors.MODEL_NO_NODE, `No node on this host would serve ${lines.join("; ")}. Nothing was sent.`, {
    hint: first.reason.startsWith("its file")
      ? `Try: fabstir-host models download ${first.model} (or --yes to register it anyway)`
      : `Try: add {"model":"${first.model}","gpus":[…]} to node.instances (fabstir-host config set node.instances '…'), or --yes to register it anyway`,
    details: { unserved },
  });
}
