/**
 * Upgrades config files written by older versions, one step per version. The loader backs the file up before it
 * writes the migrated one, so a migration can always be undone with `config restore`.
 */
import { CONFIG_VERSION } from "./settings.ts";

type Raw = Record<string, unknown>;

/** Version 0: the first releases had no `version`, a single `rpcUrl`, and comma-separated `models`. */
function v0ToV1(raw: Raw): Raw {
  const next: Raw = { ...raw };
  if (typeof next.rpcUrl === "string") {
    next.rpcUrls = [next.rpcUrl];
    delete next.rpcUrl;
  }
  if (typeof next.models === "string")
    next.models = next.models
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (typeof next.apiUrl === "string" && next.publicUrl === undefined) {
    next.publicUrl = next.apiUrl;
    delete next.apiUrl;
  }
  next.version = 1;
  return next;
}

const steps: Record<number, (raw: Raw) => Raw> = { 0: v0ToV1 };

export function configVersionOf(raw: Raw): number {
  return typeof raw.version === "number" ? raw.version : 0;
}

export function migrate(raw: Raw): { migrated: Raw; from: number; changed: boolean } {
  const from = configVersionOf(raw);
  let current = raw;
  for (let version = from; version < CONFIG_VERSION; version++) {
    const step = steps[version];
    if (!step) throw new Error(`no migration from config version ${version}`);
    current = step(current);
  }
  return { migrated: current, from, changed: from !== CONFIG_VERSION };
}
