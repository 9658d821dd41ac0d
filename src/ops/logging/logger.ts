/**
 * The loggers every part of the host uses. `createFileLogger` is the short form main.ts and tests use (default
 * rotation); `createComponentLogger` (logging/component-logger.ts) takes the configured rotation and a console copy.
 * Lines are JSON, pass through the redactor, and go to `<logs>/<component>.log`.
 */
import type { Logger, LogLevel } from "./logger-types.ts";
import { createComponentLogger, type ComponentLoggerOptions } from "./component-logger.ts";

export { createComponentLogger, type ComponentLoggerOptions, type LogComponent } from "./component-logger.ts";

export interface FileLoggerOptions {
  logsDir: string;
  component: string;
  level: LogLevel;
}

/** Rotation used before the configuration is read (and by commands that never read it). */
export const DEFAULT_LOG_ROTATION = { maxSizeMb: 50, maxFiles: 14 };

export function createFileLogger(options: FileLoggerOptions, extra: ComponentLoggerOptions = {}): Logger {
  return createComponentLogger({ logsDir: options.logsDir }, options.component, { level: options.level, ...DEFAULT_LOG_ROTATION }, extra);
}

/** A logger that drops everything (tests that do not care, or a disk that refuses writes). */
export function createNullLogger(): Logger {
  const self: Logger = {
    error: () => {},
    warn: () => {},
    info: () => {},
    debug: () => {},
    child: () => self,
    filePath: undefined,
    close: async () => {},
  };
  return self;
}
