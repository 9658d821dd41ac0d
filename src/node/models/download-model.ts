/**
 * `models download`: fetch `repo:file` from the model host into the models directory, resumable, and verified against
 * the SHA-256 the ModelRegistry publishes. A mismatch deletes the file; a verified copy already in place is kept.
 */
import type { FetchFn } from "../../context.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import { downloadFile, type DownloadOptions, type DownloadProgress } from "../install/download.ts";
import { DEFAULT_MODEL_HOST, modelPath, modelUrl, type ModelRef } from "./model-ref.ts";

export interface DownloadModelOptions {
  modelsDir: string;
  /** config.modelHost.baseUrl */
  baseUrl: string;
  model: ModelRef;
  expectedSha256: string;
  fetch: FetchFn;
  token?: string | null;
  logger?: Logger;
  onProgress?: (progress: DownloadProgress) => void;
  download?: Pick<DownloadOptions, "sleep" | "retries" | "retryDelayMs" | "openSink" | "freeSpace" | "idleTimeoutMs" | "signal">;
}

export interface DownloadModelResult {
  model: string;
  path: string;
  url: string;
  size: number;
  sha256: string;
  /** The verified file was already there; nothing was downloaded. */
  alreadyPresent: boolean;
  resumedFrom: number;
}

export async function downloadModel(options: DownloadModelOptions): Promise<DownloadModelResult> {
  const url = modelUrl(options.baseUrl || DEFAULT_MODEL_HOST, options.model);
  const path = modelPath(options.modelsDir, options.model);
  const result = await downloadFile({
    ...options.download,
    url,
    dest: path,
    fetch: options.fetch,
    expectedSha256: options.expectedSha256,
    token: options.token,
    logger: options.logger,
    onProgress: options.onProgress,
  });
  return {
    model: `${options.model.repo}:${options.model.file}`,
    path,
    url,
    size: result.size,
    sha256: result.sha256,
    alreadyPresent: result.reused,
    resumedFrom: result.resumedFrom,
  };
}
