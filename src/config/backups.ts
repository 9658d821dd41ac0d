/** Timestamped copies of config.json, made before every change that replaces it. Never contain secrets. */
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Paths } from "./paths.ts";
import { diskWriteError } from "./disk-errors.ts";

const KEEP = 20;

export function backupConfig(paths: Paths, reason: string, now = new Date()): string | undefined {
  if (!existsSync(paths.configFile)) return undefined;
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  let name = `config-${stamp}-${reason.replace(/[^\w-]/g, "")}.json`;
  const target = () => join(paths.backupsDir, name);
  try {
    mkdirSync(paths.backupsDir, { recursive: true, mode: 0o700 });
    for (let n = 2; existsSync(target()); n++) name = name.replace(/(-\d+)?\.json$/, `-${n}.json`);
    // COPYFILE_EXCL: a name that appeared meanwhile (a planted link) is an error, never written through.
    copyFileSync(paths.configFile, target(), constants.COPYFILE_EXCL);
  } catch (error) {
    // The backup comes before every change: a full or read-only disk shows here first, and nothing was changed yet.
    throw diskWriteError(target(), error, "the config was not changed");
  }
  prune(paths);
  return target();
}

export interface BackupEntry {
  name: string;
  path: string;
  size: number;
  modified: string;
}

export function listBackups(paths: Paths): BackupEntry[] {
  if (!existsSync(paths.backupsDir)) return [];
  return readdirSync(paths.backupsDir)
    .filter((name) => /^config-.*\.json$/.test(name))
    .map((name) => {
      const path = join(paths.backupsDir, name);
      const stat = statSync(path);
      return { name, path, size: stat.size, modified: stat.mtime.toISOString() };
    })
    .sort((a, b) => b.name.localeCompare(a.name));
}

function prune(paths: Paths): void {
  for (const old of listBackups(paths).slice(KEEP)) rmSync(old.path, { force: true });
}
