/** RAM, CPU and free disk: the rest of what a host's capacity depends on. */
import { cpus, freemem, totalmem } from "node:os";
import { statfs } from "node:fs/promises";
import { dirname } from "node:path";
import type { DiskSpace, SystemInfo } from "./types.ts";

export interface SystemProbes {
  platform?: string;
  arch?: string;
  cpus?: () => Array<{ model: string }>;
  totalmem?: () => number;
  freemem?: () => number;
  statfs?: (path: string) => Promise<{ bavail: number | bigint; blocks: number | bigint; bsize: number | bigint }>;
}

/**
 * Free space on the file system holding `path`. The directory may not exist yet (a fresh host), so the nearest
 * existing parent is measured. Null when nothing can be measured.
 */
export async function diskSpace(path: string, probe: SystemProbes["statfs"] = statfs): Promise<DiskSpace | null> {
  let current = path;
  for (;;) {
    try {
      const stats = await probe(current);
      const block = Number(stats.bsize);
      return { path: current, freeBytes: Number(stats.bavail) * block, totalBytes: Number(stats.blocks) * block };
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || parent === current) return null;
      current = parent;
    }
  }
}

export async function detectSystem(diskPath: string, probes: SystemProbes = {}): Promise<SystemInfo> {
  const cpuList = (probes.cpus ?? cpus)();
  return {
    platform: probes.platform ?? process.platform,
    arch: probes.arch ?? process.arch,
    cpuModel: cpuList[0]?.model.trim() || "unknown CPU",
    cpuCores: cpuList.length,
    ramTotalBytes: (probes.totalmem ?? totalmem)(),
    ramFreeBytes: (probes.freemem ?? freemem)(),
    disk: await diskSpace(diskPath, probes.statfs),
  };
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
