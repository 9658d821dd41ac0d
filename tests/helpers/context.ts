/**
 * In-process command runs: a HostContext with captured stdout/stderr, a private config directory, scripted prompts and
 * an injectable fetch/clock/spawn. `runCli(argv)` returns what a user would have seen.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { spawn } from "node:child_process";
import type { HostContext, HostServices } from "../../src/context.ts";
import { defaultServices } from "../../src/default-services.ts";
import { pathsFor } from "../../src/config/paths.ts";
import { systemClock } from "../../src/util/clock.ts";
import { createFileLogger } from "../../src/ops/logging/logger.ts";
import type { Prompter } from "../../src/util/prompter-types.ts";
import { runCommandLine } from "../../src/cli/lazy-cli.ts";

export class Capture extends PassThrough {
  private chunks: Buffer[] = [];
  constructor() {
    super();
    this.on("data", (chunk: Buffer) => this.chunks.push(Buffer.from(chunk)));
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** Answers prompts from a script; a question with no scripted answer fails the test loudly. */
export function scriptedPrompter(answers: Record<string, string | boolean> = {}): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const answer = (message: string) => {
    asked.push(message);
    for (const [pattern, value] of Object.entries(answers)) if (message.includes(pattern)) return value;
    throw new Error(`unexpected prompt: ${message}`);
  };
  return {
    asked,
    text: async (m, o) => String(answer(m) ?? o?.default ?? ""),
    confirm: async (m) => {
      const value = answer(m);
      return value === true || value === "yes";
    },
    secret: async (m) => String(answer(m)),
    select: async (m) => answer(m) as never,
  };
}

export interface TestContextOptions extends Partial<Omit<HostContext, "services">> {
  /** Typed fakes for any of the context's services; the rest are the real ones. */
  services?: Partial<HostServices>;
  stdinText?: string;
  tty?: boolean;
}

export function makeTestContext(options: TestContextOptions = {}): HostContext & { out: Capture; err: Capture } {
  const { services, ...rest } = options;
  const home = options.paths?.home ?? mkdtempSync(join(tmpdir(), "fabstir-ctx-"));
  const paths = options.paths ?? pathsFor(join(home, "fabstir"));
  const out = new Capture();
  const err = new Capture();
  const tty = options.tty ?? false;
  const env = options.env ?? { HOME: home, NO_COLOR: "1" };
  const context: HostContext & { out: Capture; err: Capture } = {
    env,
    stdin: Readable.from(options.stdinText !== undefined ? [options.stdinText] : []),
    stdout: out,
    stderr: err,
    colorDepth: 1,
    isTTY: { stdin: tty, stdout: tty, stderr: tty },
    cwd: home,
    homeDir: home,
    paths,
    clock: systemClock,
    spawn,
    fetch: (input, init) => fetch(input, init),
    logger: createFileLogger({ logsDir: paths.logsDir, component: "cli", level: "debug" }),
    prompter: scriptedPrompter(),
    output: { json: false, verbose: false, quiet: false, color: false },
    build: { version: "0.0.0-test", commit: "test" },
    out,
    err,
    ...rest,
    services: { ...defaultServices({ spawn: options.spawn ?? spawn, env }), ...services },
  } as HostContext & { out: Capture; err: Capture };
  return context;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  context: HostContext & { out: Capture; err: Capture };
  json<T = any>(): T;
}

export async function runCli(argv: string[], options: TestContextOptions | (HostContext & { out: Capture; err: Capture }) = {}): Promise<CliResult> {
  const context = "out" in options && options.out instanceof Capture ? (options as HostContext & { out: Capture; err: Capture }) : makeTestContext(options);
  const before = { out: context.out.text().length, err: context.err.text().length };
  // The same dispatch as the binary: only the named command is loaded.
  const code = await runCommandLine(argv, context);
  await new Promise((resolve) => setImmediate(resolve));
  const stdout = context.out.text().slice(before.out);
  const stderr = context.err.text().slice(before.err);
  return { code, stdout, stderr, context, json: () => JSON.parse(stdout) };
}
