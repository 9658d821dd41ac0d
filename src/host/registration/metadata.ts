/**
 * The metadata JSON published with registerNode / updateMetadata. No schema on chain; clients read `hardware.gpu`
 * (required), `hardware.vram`, `hardware.ram` (GB), `capabilities`, `location`, `maxConcurrent` and `publicKey` (the
 * host key's compressed public key, which they encrypt sessions to). updateMetadata replaces the whole string, so an
 * update always starts from what the chain holds and always puts `publicKey` back: dropping it would break every new
 * encrypted session.
 */
import type { HostConfig } from "../../config/types.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";
import type { PublishedHardware } from "./hardware.ts";

export type Metadata = Record<string, unknown>;

/** Fields the CLI writes itself; --set may not touch them. */
const MANAGED_KEYS = new Set(["publicKey"]);
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);

/** What clients learn about this host: the node's features, and encryption only when the node holds the key. */
export function capabilitiesFor(config: Pick<HostConfig, "node">): string[] {
  return config.node.signer === "node" ? ["inference", "streaming", "encryption"] : ["inference", "streaming"];
}

export function buildMetadata(input: { hardware: PublishedHardware; config: Pick<HostConfig, "host" | "node">; publicKey: string }): Metadata {
  const { hardware, config, publicKey } = input;
  const metadata: Metadata = {
    hardware: { gpu: hardware.gpu, vram: hardware.vram, ram: hardware.ram },
    capabilities: capabilitiesFor(config),
  };
  if (config.host.location) metadata.location = config.host.location;
  metadata.maxConcurrent = config.host.maxConcurrent;
  metadata.publicKey = publicKey;
  return metadata;
}

/** The chain's metadata as an object; `valid` is false when it was not a JSON object (it is then replaced). */
export function parseMetadata(text: string): { value: Metadata; valid: boolean } {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return { value: parsed as Metadata, valid: true };
  } catch {
    /* not JSON: start afresh */
  }
  return { value: {}, valid: false };
}

export interface MetadataChanges {
  hardware: PublishedHardware;
  publicKey: string;
  location?: string;
  maxConcurrent?: number;
  /** `key=value` assignments; dotted keys reach into objects; values that parse as JSON are stored as JSON. */
  set?: readonly string[];
}

/** Current metadata + fresh hardware + the requested changes + the public key, always. */
export function mergeMetadata(current: Metadata, changes: MetadataChanges): Metadata {
  const next: Metadata = structuredClone(current);
  const oldHardware = isObject(next.hardware) ? next.hardware : {};
  next.hardware = { ...oldHardware, gpu: changes.hardware.gpu, vram: changes.hardware.vram, ram: changes.hardware.ram };
  if (changes.location !== undefined) next.location = changes.location;
  if (changes.maxConcurrent !== undefined) next.maxConcurrent = changes.maxConcurrent;
  for (const assignment of changes.set ?? []) applyAssignment(next, assignment);
  next.publicKey = changes.publicKey;
  return next;
}

export function applyAssignment(target: Metadata, assignment: string): void {
  const at = assignment.indexOf("=");
  const key = at > 0 ? assignment.slice(0, at).trim() : "";
  if (!key) throw invalid(`--set "${assignment}" is not of the form key=value`);
  const path = key.split(".");
  if (path.some((segment) => segment === "" || FORBIDDEN_SEGMENTS.has(segment))) throw invalid(`--set: "${key}" is not a usable key`);
  if (MANAGED_KEYS.has(path[0]!)) throw invalid(`--set: ${path[0]} is written by fabstir-host itself (from the host key) and cannot be set`);
  let node: Metadata = target;
  for (const segment of path.slice(0, -1)) {
    if (!isObject(node[segment])) node[segment] = {};
    node = node[segment] as Metadata;
  }
  node[path.at(-1)!] = parseValue(assignment.slice(at + 1));
}

/** Stable text: the fields clients read first, then anything else in its own order. */
export function serializeMetadata(metadata: Metadata): string {
  const order = ["hardware", "capabilities", "location", "maxConcurrent", "publicKey"];
  const sorted: Metadata = {};
  for (const key of order) if (key in metadata) sorted[key] = metadata[key];
  for (const [key, value] of Object.entries(metadata)) if (!(key in sorted)) sorted[key] = value;
  return JSON.stringify(sorted);
}

function parseValue(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    return trimmed;
  }
}

function isObject(value: unknown): value is Metadata {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function invalid(message: string): HostError {
  return new HostError(HostErrors.METADATA_INVALID, `${message}. Nothing was sent.`);
}
