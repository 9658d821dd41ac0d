/**
 * Where the live contract ABIs come from in tests: the snapshot inside the project (tests/fixtures/abis, always), and
 * the Fabstir facts folder beside the repository (`../shared/fabstir/abis`, or `$FABSTIR_SHARED_DIR/fabstir/abis`) when
 * it is there. Tests run against every source found, so a clone on its own runs them all, and a checkout with the
 * facts folder also proves the snapshot is current.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const REPO_ROOT = resolve(import.meta.dir, "..", "..");

export interface AbiSource {
  /** "snapshot" or "shared". */
  name: string;
  dir: string;
}

export const SNAPSHOT_ABI_DIR = join(REPO_ROOT, "tests", "fixtures", "abis");

export function sharedAbiDir(env: Record<string, string | undefined> = process.env): string {
  return join(env.FABSTIR_SHARED_DIR ?? join(REPO_ROOT, "..", "shared"), "fabstir", "abis");
}

export function abiSources(env: Record<string, string | undefined> = process.env): AbiSource[] {
  const sources: AbiSource[] = [{ name: "snapshot", dir: SNAPSHOT_ABI_DIR }];
  const shared = sharedAbiDir(env);
  if (existsSync(shared)) sources.push({ name: "shared", dir: shared });
  return sources;
}

/** One ABI file, unwrapped when an export wraps it as `{ abi: [...] }`. */
export function readAbi<T = unknown>(dir: string, file: string): T[] {
  const parsed = JSON.parse(readFileSync(join(dir, file), "utf8")) as T[] | { abi: T[] };
  return Array.isArray(parsed) ? parsed : (parsed.abi ?? []);
}
