/** The machine itself: CPU and RAM, for the report (and a warning when RAM is too small to load models). */
import type { DoctorCheck } from "../types.ts";
import { formatBytes } from "../../node/gpu/system.ts";

export const MIN_RAM_BYTES = 8 * 1024 ** 3;

export const systemCheck: DoctorCheck = {
  id: "system",
  title: "CPU and memory",
  async run(ctx) {
    const system = await ctx.system();
    const summary = `${system.cpuCores} cores (${system.cpuModel}), ${formatBytes(system.ramTotalBytes)} RAM, ${system.platform}-${system.arch}`;
    const details = {
      cpuModel: system.cpuModel,
      cpuCores: system.cpuCores,
      ramTotalBytes: system.ramTotalBytes,
      ramFreeBytes: system.ramFreeBytes,
      platform: system.platform,
      arch: system.arch,
    };
    if (system.ramTotalBytes < MIN_RAM_BYTES) {
      return { status: "warn", summary: `${summary}: little RAM to load models`, fix: "Use a machine with at least 16 GiB of RAM for a host.", details };
    }
    return { status: "pass", summary, details };
  },
};
