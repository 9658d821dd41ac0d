/**
 * The node's console output on disk: `<logs>/node.log`, lines as the node printed them (after redaction), rotated
 * by size and day with the same naming and retention as every other component, so `fabstir-host logs --component
 * node` and `logs export` find all of it. Appends are synchronous: the last lines before a crash are on disk when
 * the crash is reported.
 */
import type { HostConfig } from "../../config/types.ts";
import { RotatingFile } from "../../ops/logging/rotating-file.ts";

export interface LineSink {
  readonly path: string;
  writeLine(line: string): void;
  close(): Promise<void>;
}

export function createNodeLog(logsDir: string, logging: Pick<HostConfig["logging"], "maxSizeMb" | "maxFiles"> | undefined): LineSink {
  const file = new RotatingFile({
    logsDir,
    component: "node",
    maxSizeBytes: Math.max(1024, Math.round((logging?.maxSizeMb ?? 50) * 1024 * 1024)),
    maxFiles: Math.max(1, logging?.maxFiles ?? 14),
  });
  return {
    path: file.path,
    // A full disk never takes the node down: RotatingFile drops the line and retries later.
    writeLine: (line) => void file.write(line.endsWith("\n") ? line : `${line}\n`),
    close: () => file.close(),
  };
}
