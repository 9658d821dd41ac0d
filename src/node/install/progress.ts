/**
 * Download progress for people: a cli-progress bar on a terminal, nothing in pipes, --json or --quiet (a log of
 * redraws is noise). Lives beside the downloader, takes only streams and flags, and knows nothing of clipanion.
 */
import { SingleBar } from "cli-progress";
import type { Writable } from "node:stream";
import type { DownloadProgress } from "./download.ts";
import { formatBytes } from "../gpu/system.ts";

export interface ProgressTarget {
  stderr: Writable;
  isTTY: { stderr: boolean };
  output: { json: boolean; quiet: boolean };
}

export interface ProgressReporter {
  onProgress(progress: DownloadProgress): void;
  /** Clears the bar; call on success and failure alike. */
  stop(): void;
}

export function createProgressReporter(target: ProgressTarget, label: string): ProgressReporter {
  if (!target.isTTY.stderr || target.output.json || target.output.quiet) return { onProgress: () => {}, stop: () => {} };
  let bar: SingleBar | null = null;
  let started = 0;
  return {
    onProgress({ received, total, resumedFrom }) {
      if (!bar) {
        started = Date.now();
        bar = new SingleBar({
          stream: target.stderr as NodeJS.WritableStream,
          format: `${label} [{bar}] {percentage}% {done} / {size} {speed}`,
          hideCursor: true,
          clearOnComplete: false,
          barsize: 30,
          etaBuffer: 50,
        });
        bar.start(total ?? 0, received, { done: formatBytes(received), size: total ? formatBytes(total) : "?", speed: "" });
      }
      const seconds = (Date.now() - started) / 1000;
      const speed = seconds > 0.5 ? `${formatBytes((received - resumedFrom) / seconds)}/s` : "";
      if (total && bar.getTotal() !== total) bar.setTotal(total);
      bar.update(received, { done: formatBytes(received), size: total ? formatBytes(total) : "?", speed });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
