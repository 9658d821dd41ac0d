/**
 * Pure parsers for nvidia-smi output, tested on recorded outputs (tests/fixtures/gpu/).
 * The CSV comes from NVIDIA_QUERY_ARGS; the CUDA version only appears in the plain `nvidia-smi` banner.
 */
import type { GpuDevice } from "./types.ts";

export const NVIDIA_QUERY_FIELDS = [
  "index",
  "name",
  "uuid",
  "memory.total",
  "memory.used",
  "memory.free",
  "driver_version",
  "compute_cap",
  "pci.bus_id",
  "temperature.gpu",
  "utilization.gpu",
  "power.draw",
  "power.limit",
] as const;

export const NVIDIA_QUERY_ARGS = [`--query-gpu=${NVIDIA_QUERY_FIELDS.join(",")}`, "--format=csv,noheader,nounits"];

export interface NvidiaQueryRow {
  device: GpuDevice;
  driverVersion: string | null;
}

/** nvidia-smi writes "[N/A]", "[Not Supported]" or "N/A" for fields a board does not report. */
function cell(value: string | undefined): string | null {
  const trimmed = (value ?? "").trim();
  if (trimmed === "" || /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions)\]?$/i.test(trimmed)) return null;
  return trimmed;
}

function numberCell(value: string | undefined): number | null {
  const text = cell(value);
  if (text === null) return null;
  const parsed = Number.parseFloat(text);
  return Number.isFinite(parsed) ? parsed : null;
}

/** Parses `nvidia-smi --query-gpu=<NVIDIA_QUERY_FIELDS> --format=csv,noheader,nounits`, one GPU per line. */
export function parseNvidiaQueryCsv(text: string): NvidiaQueryRow[] {
  const rows: NvidiaQueryRow[] = [];
  const tail = NVIDIA_QUERY_FIELDS.length - 2; // fields after the name
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const parts = line.split(",");
    if (parts.length < NVIDIA_QUERY_FIELDS.length) continue;
    // A product name may itself hold a comma: everything between the index and the last `tail` fields is the name.
    const index = numberCell(parts[0]);
    const name = parts
      .slice(1, parts.length - tail)
      .join(",")
      .trim();
    const rest = parts.slice(parts.length - tail);
    if (index === null || name === "") continue;
    const [uuid, total, used, free, driver, computeCap, busId, temperature, utilization, powerDraw, powerLimit] = rest;
    rows.push({
      driverVersion: cell(driver),
      device: {
        index,
        vendor: "nvidia",
        name,
        uuid: cell(uuid),
        memoryTotalMiB: numberCell(total) ?? 0,
        memoryUsedMiB: numberCell(used),
        memoryFreeMiB: numberCell(free),
        computeCapability: cell(computeCap),
        pciBusId: cell(busId),
        temperatureC: numberCell(temperature),
        utilizationPercent: numberCell(utilization),
        powerDrawW: numberCell(powerDraw),
        powerLimitW: numberCell(powerLimit),
      },
    });
  }
  return rows;
}

/** The highest CUDA version the driver supports, from the banner: `CUDA Version: 13.0`. */
export function parseCudaVersionFromBanner(text: string): string | null {
  return /CUDA Version:\s*([0-9]+(?:\.[0-9]+)*)/.exec(text)?.[1] ?? null;
}

export function parseDriverVersionFromBanner(text: string): string | null {
  return /Driver Version:\s*([0-9]+(?:\.[0-9]+)*)/.exec(text)?.[1] ?? null;
}

/**
 * Recognises nvidia-smi failing although it is installed: the driver is not loaded, mismatched after an upgrade
 * (reboot needed), or no device is visible. Returns a short message, or null when the text is no known failure.
 */
export function parseNvidiaFailure(text: string): string | null {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) =>
      /NVIDIA-SMI has failed|couldn't communicate with the NVIDIA driver|Driver\/library version mismatch|No devices were found|Failed to initialize NVML/i.test(
        l,
      ),
    );
  return line ?? null;
}

/**
 * The CUDA version a driver supports, when the banner is unavailable. From NVIDIA's minimum-driver table (Linux):
 * CUDA 13.0 needs ≥ 580, CUDA 12.x ≥ 525.60.13, CUDA 11.x ≥ 450.80.02. Coarse on purpose: the banner is preferred.
 */
export function cudaVersionForDriver(driverVersion: string): string | null {
  const [major = 0, minor = 0] = driverVersion.split(".").map((p) => Number.parseInt(p, 10));
  if (!Number.isFinite(major)) return null;
  if (major >= 580) return "13.0";
  if (major > 525 || (major === 525 && minor >= 60)) return "12.0";
  if (major >= 450) return "11.0";
  return null;
}
