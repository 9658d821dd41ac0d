export type LogLevel = "error" | "warn" | "info" | "debug";

export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  /** A logger that adds these fields (component, sessionId …) to every line. */
  child(meta: Record<string, unknown>): Logger;
  /** Where this logger's lines go on disk, shown in error messages; undefined when not writing a file. */
  readonly filePath: string | undefined;
  /** Flushes and closes any file handles. */
  close(): Promise<void>;
}
