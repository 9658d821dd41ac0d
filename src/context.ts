/**
 * The one object that carries every effect a command or service may have. `main.ts` makes the real one; tests make
 * their own (see tests/helpers/context.ts) and run commands in-process with `cli.run(argv, context)`.
 *
 * It is structurally compatible with clipanion's BaseContext, without importing clipanion: services never know
 * about the command line.
 */
import type { Readable, Writable } from "node:stream";
import type { spawn } from "node:child_process";
import type { Paths } from "./config/paths.ts";
import type { Clock } from "./util/clock.ts";
import type { Logger } from "./ops/logging/logger-types.ts";
import type { Prompter } from "./util/prompter-types.ts";
import type { HostConfig } from "./config/types.ts";

export type SpawnFn = typeof spawn;
export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface OutputMode {
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  /** False when NO_COLOR is set, or stdout is not a terminal. */
  color: boolean;
}

export interface HostContext {
  env: Record<string, string | undefined>;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  colorDepth: number;
  isTTY: { stdin: boolean; stdout: boolean; stderr: boolean };
  cwd: string;
  homeDir: string;
  paths: Paths;
  clock: Clock;
  spawn: SpawnFn;
  fetch: FetchFn;
  logger: Logger;
  prompter: Prompter;
  output: OutputMode;
  /** Build identity, baked in at compile time. */
  build: { version: string; commit: string };
  /** The services every effect goes through, typed; built once by `defaultServices` (src/default-services.ts). */
  services: HostServices;
}

/**
 * The typed services of a context. Each module that owns a service declares its member here with `declare module`
 * (so this file imports none of them and nothing circles back); `defaultServices` builds the real ones, and tests pass
 * typed fakes for any of them. A misspelt or mistyped service does not compile.
 */
export interface HostServices {
  /** The operating system this runs on (`process.platform`). */
  platform: NodeJS.Platform;
  /** A configuration the caller already loaded (the running host hands it to what it calls, instead of a re-read). */
  loadedConfig?: HostConfig;
  /** Stops long-running commands (`status --watch`, `logs --follow`) besides Ctrl-C. */
  interrupt?: AbortSignal;
}
