/**
 * Per-component loggers (cli, supervisor, node, proofs, chain, front): structured JSON lines in
 * `<logs>/<component>.log`, rotated daily and by size, compressed, capped at `maxFiles`; optionally a readable copy on
 * a terminal for the foreground host. winston routes levels and transports; the file transport is our
 * RotatingFile, shared by every logger of the same component in this process.
 *
 * winston is loaded on the first line written, so commands that log nothing (`--version`, `--help`) start fast.
 */
import type { Writable } from "node:stream";
import type TransportStream from "winston-transport";
import type { Logger, LogLevel } from "./logger-types.ts";
import type { Paths } from "../../config/paths.ts";
import type { HostConfig } from "../../config/types.ts";
import { activeLogPath, isValidComponent } from "./log-files.ts";
import { RotatingFile, type LogProblem } from "./rotating-file.ts";
import type { OpenLogFile } from "./log-file-handle.ts";
import { buildRecord, formatConsoleLine, formatJsonLine, type LogRecord } from "./line-format.ts";
import { recordLogDropped, recordLogFileRecreated, recordLogRecovered, recordLogWriteFailure } from "./log-health.ts";

export type LogComponent = "cli" | "supervisor" | "node" | "proofs" | "chain" | "front" | (string & {});

export const LOG_LEVELS: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface ComponentLoggerOptions {
  /** Timestamps and day boundaries come from here (the context clock). */
  now?: () => number;
  /** A readable copy of every line, for the host running in the foreground. */
  console?: { stream: Writable; color: boolean; level?: LogLevel };
  /** Where to say, once, that the log file cannot be written. */
  stderr?: Writable;
  /** Tests inject a failing file here (disk full). */
  openFile?: OpenLogFile;
  retryMs?: number;
  checkMs?: number;
  /**
   * The level, shared and changeable while the logger lives (a running host's SIGHUP reload); without it the level is
   * `logging.level`, fixed. A console given its own level keeps it.
   */
  level?: { current: LogLevel };
}

type WinstonLogger = { log(entry: Record<string | symbol, unknown>): void; transports: { level?: string }[] };
const RECORD = Symbol.for("fabstir.logRecord");
const sinks = new Map<string, { file: RotatingFile; users: number }>();

function acquireSink(logsDir: string, component: string, logging: HostConfig["logging"], options: ComponentLoggerOptions): RotatingFile {
  const path = activeLogPath(logsDir, component);
  const existing = sinks.get(path);
  if (existing) {
    existing.users++;
    return existing.file;
  }
  const stderr: Writable = options.stderr ?? process.stderr;
  const say = (text: string) => {
    try {
      stderr.write(`fabstir-host: ${text}\n`);
    } catch {
      // stderr closed too: nothing else to tell.
    }
  };
  const file = new RotatingFile({
    logsDir,
    component,
    maxSizeBytes: Math.max(1024, Math.round(logging.maxSizeMb * 1024 * 1024)),
    maxFiles: Math.max(1, logging.maxFiles),
    now: options.now,
    openFile: options.openFile,
    retryMs: options.retryMs,
    checkMs: options.checkMs,
    onProblem: (problem: LogProblem, where) => {
      if (problem.kind === "write_failed") {
        recordLogWriteFailure(component);
        say(`cannot write the ${component} log (${where}): ${problem.error.message}. The host keeps running; log lines are dropped until writing works again.`);
      } else {
        recordLogFileRecreated();
        say(`the ${component} log file disappeared (was the logs directory deleted?); recreating ${where}.`);
      }
    },
    onRecovery: (dropped) => {
      recordLogRecovered(component);
      say(`writing the ${component} log again; ${dropped} line(s) were lost meanwhile.`);
    },
  });
  sinks.set(path, { file, users: 1 });
  return file;
}

async function releaseSink(path: string): Promise<void> {
  const entry = sinks.get(path);
  if (!entry) return;
  entry.users--;
  if (entry.users > 0) return;
  sinks.delete(path);
  await entry.file.close();
}

function createWinston(level: LogLevel, file: RotatingFile, consoleTarget: ComponentLoggerOptions["console"]): WinstonLogger {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const winston = require("winston") as typeof import("winston");
  // winston re-exports its transport base class at run time; its typings only name the module.
  const Transport = (winston as unknown as { Transport: typeof TransportStream }).Transport;
  class RotatingFileTransport extends Transport {
    override log(info: Record<string | symbol, unknown>, next: () => void): void {
      if (!file.write(formatJsonLine(info[RECORD] as LogRecord))) recordLogDropped();
      next();
    }
  }
  class ReadableConsoleTransport extends Transport {
    override log(info: Record<string | symbol, unknown>, next: () => void): void {
      try {
        consoleTarget!.stream.write(formatConsoleLine(info[RECORD] as LogRecord, consoleTarget!.color));
      } catch {
        // A closed terminal must not stop logging to the file.
      }
      next();
    }
  }
  const transports: TransportStream[] = [new RotatingFileTransport({ level })];
  if (consoleTarget) transports.push(new ReadableConsoleTransport({ level: consoleTarget.level ?? level }));
  const logger = winston.createLogger({
    levels: LOG_LEVELS,
    level: "debug",
    format: winston.format((info) => info)(),
    transports,
    exitOnError: false,
  });
  // A transport failure must never surface as an unhandled 'error' event.
  logger.on("error", () => {});
  return logger as unknown as WinstonLogger;
}

export function createComponentLogger(
  paths: Pick<Paths, "logsDir">,
  component: LogComponent,
  logging: HostConfig["logging"],
  options: ComponentLoggerOptions = {},
): Logger {
  if (!isValidComponent(component)) throw new Error(`invalid log component name: ${component}`);
  const now = options.now ?? Date.now;
  const filePath = activeLogPath(paths.logsDir, component);
  const levelNow = (): LogLevel => options.level?.current ?? logging.level;
  let winstonLogger: WinstonLogger | undefined;
  let winstonLevel: LogLevel | undefined;
  let closed = false;

  const ensure = (): WinstonLogger | undefined => {
    if (closed) return undefined;
    if (!winstonLogger) {
      try {
        winstonLogger = createWinston(levelNow(), acquireSink(paths.logsDir, component, logging, options), options.console);
        winstonLevel = levelNow();
      } catch {
        closed = true; // winston itself failed to load: stay silent rather than crash the host.
      }
    } else if (winstonLevel !== levelNow()) {
      // The shared level changed (a reload): the file transport follows, and the console unless it has its own.
      winstonLevel = levelNow();
      winstonLogger.transports.forEach((transport, index) => {
        if (index === 0 || !options.console?.level) transport.level = winstonLevel;
      });
    }
    return winstonLogger;
  };

  const make = (base: Record<string, unknown>): Logger => {
    const write = (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
      const threshold = Math.max(LOG_LEVELS[levelNow()], LOG_LEVELS[options.console?.level ?? levelNow()]);
      if (LOG_LEVELS[level] > threshold) return;
      const target = ensure();
      if (!target) return;
      const record = buildRecord(level, component, message, { pid: process.pid, ...base, ...meta }, now());
      target.log({ level, message: record.message, [RECORD]: record });
    };
    return {
      error: (m, meta) => write("error", m, meta),
      warn: (m, meta) => write("warn", m, meta),
      info: (m, meta) => write("info", m, meta),
      debug: (m, meta) => write("debug", m, meta),
      child: (meta) => make({ ...base, ...meta }),
      filePath,
      close: async () => {
        if (closed) return;
        closed = true;
        if (winstonLogger) {
          winstonLogger = undefined;
          await releaseSink(filePath);
        }
      },
    };
  };
  return make({});
}

/** Stats of the files this process writes (for metrics and tests). */
export function openLogFileStats(): Record<string, ReturnType<RotatingFile["stats"]>> {
  return Object.fromEntries([...sinks.entries()].map(([path, entry]) => [path, entry.file.stats()]));
}
