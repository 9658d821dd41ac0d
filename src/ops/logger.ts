/**
 * The file logger. Lines are JSON, pass through the redactor, and go to `<logs>/<component>.log`.
 * winston is loaded on the first line written, so commands that log nothing (`--version`, `--help`) start fast.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger, LogLevel } from "./logger-types.ts";
import { redact, redactValue } from "../util/redact.ts";

export interface FileLoggerOptions {
  logsDir: string;
  component: string;
  level: LogLevel;
}

type WinstonLogger = { log(level: string, message: string, meta?: object): void; end(): void; on(e: string, f: () => void): void };

export function createFileLogger(options: FileLoggerOptions): Logger {
  const filePath = join(options.logsDir, `${options.component}.log`);
  let winstonLogger: WinstonLogger | undefined;
  let broken = false;

  const ensure = (): WinstonLogger | undefined => {
    if (winstonLogger || broken) return winstonLogger;
    try {
      mkdirSync(options.logsDir, { recursive: true, mode: 0o700 });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const winston = require("winston") as typeof import("winston");
      winstonLogger = winston.createLogger({
        level: options.level,
        format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
        defaultMeta: { component: options.component, pid: process.pid },
        transports: [new winston.transports.File({ filename: filePath, options: { mode: 0o600 } })],
      });
      // A full disk or a vanished directory must never take the host down: logging degrades, serving goes on.
      (winstonLogger as unknown as { on(e: string, f: (err: Error) => void): void }).on("error", () => {
        broken = true;
      });
    } catch {
      broken = true;
    }
    return winstonLogger;
  };

  const make = (base: Record<string, unknown>): Logger => {
    const write = (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
      const target = ensure();
      if (!target) return;
      target.log(level, redact(message), redactValue({ ...base, ...meta }));
    };
    return {
      error: (m, meta) => write("error", m, meta),
      warn: (m, meta) => write("warn", m, meta),
      info: (m, meta) => write("info", m, meta),
      debug: (m, meta) => write("debug", m, meta),
      child: (meta) => make({ ...base, ...meta }),
      filePath,
      close: () =>
        new Promise<void>((resolve) => {
          if (!winstonLogger) return resolve();
          const current = winstonLogger;
          winstonLogger = undefined;
          current.on("finish", () => resolve());
          current.end();
          setTimeout(resolve, 500).unref?.();
        }),
    };
  };
  return make({});
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
