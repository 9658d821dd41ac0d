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
import type { Logger } from "./ops/logger-types.ts";
import type { Prompter } from "./util/prompter-types.ts";

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
  /**
   * Service overrides for tests (a fake secret store, a chain client on a devnet …). Production code resolves each
   * service through a small getter that returns the override when present.
   */
  overrides: Record<string, unknown>;
}
