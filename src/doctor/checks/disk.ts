/** Free space where the state, node builds (~1 GB each) and models (several GB each) live. */
import type { DoctorCheck } from "../types.ts";
import { formatBytes } from "../../node/gpu/system.ts";

const GIB = 1024 ** 3;
export const DISK_FAIL_BYTES = 2 * GIB;
export const DISK_WARN_BYTES = 10 * GIB;

export const diskCheck: DoctorCheck = {
  id: "disk",
  title: "Disk space",
  async run(ctx) {
    const disk = (await ctx.system()).disk;
    if (!disk) return { status: "skip", summary: `could not measure free space at ${ctx.paths.stateDir}` };
    const summary = `${formatBytes(disk.freeBytes)} free of ${formatBytes(disk.totalBytes)} at ${disk.path}`;
    const details = { path: disk.path, freeBytes: disk.freeBytes, totalBytes: disk.totalBytes };
    const fix = "Free disk space, or move FABSTIR_HOME to a bigger disk; `fabstir-host node remove` deletes old builds.";
    if (disk.freeBytes < DISK_FAIL_BYTES) return { status: "fail", summary, fix, details };
    if (disk.freeBytes < DISK_WARN_BYTES) return { status: "warn", summary: `${summary}: little room for models and updates`, fix, details };
    return { status: "pass", summary, details };
  },
};
