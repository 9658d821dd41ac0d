/**
 * Models as the ModelRegistry knows them. People write `repo:file`; the chain speaks bytes32 ids,
 * keccak256(repo + "/" + file) (ModelRegistry.getModelId). Every model a host registers must be approved, and an
 * unknown or unapproved one is refused here, before anything is signed, with every problem named at once.
 */
import { isHexString, keccak256, toUtf8Bytes, ZeroHash } from "ethers";
import type { ChainClient } from "../../chain/index.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";
import { parseModelRef } from "../../node/models/model-ref.ts";

export interface RegistryModel {
  id: string;
  repo: string;
  file: string;
  /** `repo:file`, the way people write it. */
  ref: string;
  /** 0x-prefixed SHA-256 of the file, as the registry publishes it. */
  sha256: string;
  tier: number;
  active: boolean;
  /** Seconds since the epoch the model was added. */
  addedAt: number;
}

/** A model this host serves (or is about to): how people write it and the id the chain uses. */
export interface ModelRefId {
  ref: string;
  id: string;
}

/** keccak256(repo + "/" + file): the registry's getModelId, without a round trip. */
export function modelIdOf(repo: string, file: string): string {
  return keccak256(toUtf8Bytes(`${repo}/${file}`));
}

export function isModelId(text: string): boolean {
  return isHexString(text, 32);
}

/** `repo:file` → its id; a bytes32 id is accepted as it is (lower-cased). */
export function modelIdFromInput(text: string): { id: string; ref: string | null } {
  const trimmed = text.trim();
  if (isModelId(trimmed)) return { id: trimmed.toLowerCase(), ref: null };
  const { repo, file } = parseModelRef(trimmed);
  return { id: modelIdOf(repo, file), ref: `${repo}:${file}` };
}

/** The registry's entry for an id, or null when the registry never listed it. */
export async function readRegistryModel(chain: ChainClient, id: string): Promise<RegistryModel | null> {
  const model = await chain.contracts.modelRegistry.getModel(id);
  const addedAt = Number(model.timestamp ?? model[5] ?? 0n);
  const repo = String(model.huggingfaceRepo ?? model[0] ?? "");
  if (addedAt === 0 && repo === "") return null;
  const file = String(model.fileName ?? model[1] ?? "");
  return {
    id: id.toLowerCase(),
    repo,
    file,
    ref: `${repo}:${file}`,
    sha256: String(model.sha256Hash ?? model[2] ?? ZeroHash),
    tier: Number(model.approvalTier ?? model[3] ?? 0n),
    active: Boolean(model.active ?? model[4]),
    addedAt,
  };
}

/** Every model the registry lists (approved or not), in the registry's order. */
export async function listRegistryModels(chain: ChainClient): Promise<RegistryModel[]> {
  const ids = (await chain.contracts.modelRegistry.getAllModels()).map((id) => String(id).toLowerCase());
  const models = await Promise.all(ids.map((id) => readRegistryModel(chain, id)));
  return models.filter((model): model is RegistryModel => model !== null);
}

/**
 * Resolves `repo:file` names (or ids) to registry entries and refuses any that is unknown or not approved. The
 * approval is read with isModelApproved, the very check registerNode and updateSupportedModels make.
 */
export async function resolveApprovedModels(chain: ChainClient, inputs: readonly string[]): Promise<Array<ModelRefId & { model: RegistryModel }>> {
  const wanted = inputs.map((input) => ({ input, ...modelIdFromInput(input) }));
  const seen = new Set<string>();
  const unique = wanted.filter((w) => (seen.has(w.id) ? false : (seen.add(w.id), true)));
  const found = await Promise.all(
    unique.map(async (w) => {
      const [model, approved] = await Promise.all([readRegistryModel(chain, w.id), chain.contracts.modelRegistry.isModelApproved(w.id)]);
      return { ...w, model, approved };
    }),
  );
  const unknown = found.filter((f) => f.model === null);
  if (unknown.length > 0) {
    const names = unknown.map((f) => f.ref ?? f.id).join(", ");
    throw new HostError(HostErrors.MODEL_UNKNOWN, `Not in the ModelRegistry of ${chain.network.label}: ${names}. Nothing was sent.`, {
      details: { models: unknown.map((f) => ({ model: f.ref ?? f.id, id: f.id })) },
    });
  }
  const unapproved = found.filter((f) => !f.approved);
  if (unapproved.length > 0) {
    const names = unapproved.map((f) => f.model!.ref).join(", ");
    throw new HostError(HostErrors.MODEL_NOT_APPROVED, `Listed in the ModelRegistry but not approved: ${names}. Nothing was sent.`, {
      details: { models: unapproved.map((f) => ({ model: f.model!.ref, id: f.id })) },
    });
  }
  return found.map((f) => ({ ref: f.model!.ref, id: f.id, model: f.model! }));
}

/** Names for ids (served models may be on chain without being in the config): `repo:file`, or the id when unknown. */
export async function namesForIds(chain: ChainClient, ids: readonly string[]): Promise<Map<string, string>> {
  const entries = await Promise.all(ids.map(async (id) => [id.toLowerCase(), (await readRegistryModel(chain, id))?.ref ?? id.toLowerCase()] as const));
  return new Map(entries);
}
