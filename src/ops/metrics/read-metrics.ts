/**
 * What `metrics` prints: the running host's /metrics when it answers, else this process's own registry (build info,
 * process and logging figures; the host's counters live in the host process and are not on disk).
 */
import type { FetchFn } from "../../context.ts";
import type { OpsConfig } from "../ops-config.ts";
import { localUrl, parseListen } from "../http/listen-address.ts";
import { createHostMetrics } from "./host-metrics.ts";

export interface MetricsReading {
  source: "host" | "local";
  /** The endpoint asked, when one is configured. */
  url: string | null;
  text: string;
  /** Why the local registry was used. */
  reason: string | null;
}

export async function readMetrics(options: {
  config: OpsConfig;
  fetch: FetchFn;
  build: { version: string; commit: string };
  timeoutMs?: number;
}): Promise<MetricsReading> {
  let url: string | null = null;
  let reason: string;
  if (options.config.metrics.enabled) {
    url = localUrl(parseListen(options.config.metrics.listen), "/metrics");
    try {
      const response = await options.fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 2000) });
      if (response.ok) return { source: "host", url, text: await response.text(), reason: null };
      reason = `${url} answered ${response.status}`;
    } catch {
      reason = `nothing answered on ${url} (is the host running?)`;
    }
  } else {
    reason = "the metrics endpoint is disabled (metrics.enabled is false)";
  }
  const local = createHostMetrics({ build: options.build });
  return { source: "local", url, text: await local.text(), reason };
}
