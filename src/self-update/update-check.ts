/**
 * The daily update notice. Started when a command starts and finished after it ends, so the command never waits for
 * it: at most one request per 24 h (cached in `<cache>/update-check.json`), a short timeout, and an answer that has
 * not arrived shortly after the command is done is abandoned. One line on stderr, and only for a person at a terminal: never with
 * --json or --quiet, never when stderr is not a terminal. Opt out with `config set updates.check false` or
 * FABSTIR_NO_UPDATE_CHECK=1.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HostContext } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import { pathsFor, resolveHome, type Paths } from "../config/paths.ts";
import { atomicWriteFileSync } from "../util/atomic-write.ts";
import { fetchLatestRelease, resolveReleaseSource } from "./release-source.ts";
import { isNewer } from "./check.ts";

export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** After a failed or unfinished attempt (offline, a command shorter than the request): try again sooner. */
export const UPDATE_CHECK_RETRY_MS = 4 * 60 * 60 * 1000;
export const UPDATE_CHECK_TIMEOUT_MS = 3000;
/**
 * How long `finish` waits for a request still in flight. Only ever paid on the one run a day that makes the request,
 * and only when the command itself took less time than the request: short commands would otherwise never see an answer.
 */
export const UPDATE_CHECK_FINISH_GRACE_MS = 300;

export interface UpdateCheckCache {
  /** Last successful check (ms since epoch). */
  checkedAt: number | null;
  /** Last attempt, successful or not. */
  attemptedAt: number | null;
  latest: string | null;
  /** When a notice was last printed, and for which version: one notice per version per day. */
  notifiedAt: number | null;
  notifiedVersion: string | null;
}

export interface UpdateNotifier {
  /** Call after the command finished: abandons an unfinished request and prints the notice if one is due. */
  finish(): Promise<void>;
}

export interface NotifyOptions {
  /** The command line, to skip --json/--quiet/--version runs and honour --config-dir before the command parses it. */
  argv?: string[];
  /** The loaded config, when the caller has it; otherwise it is read (a broken config just skips the check). */
  config?: HostConfig | null;
  timeoutMs?: number;
  finishGraceMs?: number;
}

const EMPTY: UpdateCheckCache = { checkedAt: null, attemptedAt: null, latest: null, notifiedAt: null, notifiedVersion: null };
const NOTHING: UpdateNotifier = { finish: async () => {} };
const SKIP_FLAGS = new Set(["--json", "--quiet", "-q", "--version", "-V", "--help", "-h"]);
/** self-update does its own check; the others run for hours (start, logs --follow) or feed machines (metrics). */
const SKIP_COMMANDS = new Set(["self-update", "version", "start", "logs", "metrics"]);

export function updateCheckCachePath(paths: Paths): string {
  return join(paths.cacheDir, "update-check.json");
}

export function readUpdateCheckCache(paths: Paths): UpdateCheckCache {
  try {
    return { ...EMPTY, ...(JSON.parse(readFileSync(updateCheckCachePath(paths), "utf8")) as Partial<UpdateCheckCache>) };
  } catch {
    return { ...EMPTY };
  }
}

function writeCache(paths: Paths, cache: UpdateCheckCache): void {
  try {
    atomicWriteFileSync(updateCheckCachePath(paths), JSON.stringify(cache) + "\n", { mode: 0o600 });
  } catch {
    // A cache that cannot be written only means another check tomorrow… or sooner.
  }
}

export function isDue(cache: UpdateCheckCache, now: number): boolean {
  if (cache.checkedAt !== null && now - cache.checkedAt < UPDATE_CHECK_INTERVAL_MS) return false;
  if (cache.attemptedAt !== null && now - cache.attemptedAt < UPDATE_CHECK_RETRY_MS) return false;
  return true;
}

export function updateNoticeLine(latest: string, current: string): string {
  return `fabstir-host ${latest} is available (you have ${current}): fabstir-host self-update`;
}

function optedOut(env: Record<string, string | undefined>): boolean {
  const value = env.FABSTIR_NO_UPDATE_CHECK?.trim().toLowerCase();
  return (!!value && value !== "0" && value !== "false" && value !== "no") || !!env.CI;
}

function pathsFromArgv(context: HostContext, argv: string[]): Paths {
  const index = argv.findIndex((arg) => arg === "--config-dir" || arg.startsWith("--config-dir="));
  if (index < 0) return context.paths;
  const value = argv[index]!.includes("=") ? argv[index]!.slice("--config-dir=".length) : argv[index + 1];
  return value ? pathsFor(resolveHome({ configDir: value, env: context.env, homeDir: context.homeDir })) : context.paths;
}

/**
 * updates.check, from the caller's config or a read-only peek at the file and FABSTIR_UPDATES_CHECK. Not through the
 * loader: loading migrates an old file (with a backup), which must happen in the command, not before it starts.
 */
function checkEnabled(context: HostContext, paths: Paths, config: HostConfig | null | undefined): boolean {
  if (config) return config.updates.check;
  const fromEnv = context.env.FABSTIR_UPDATES_CHECK?.trim().toLowerCase();
  if (fromEnv) return !["false", "0", "no", "off"].includes(fromEnv);
  try {
    const raw = JSON.parse(readFileSync(paths.configFile, "utf8")) as { updates?: { check?: unknown } };
    return raw?.updates?.check !== false;
  } catch (error) {
    // No config yet: the default (on). An unreadable one is the command's business to report: stay quiet.
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export function maybeNotifyUpdate(context: HostContext, options: NotifyOptions = {}): UpdateNotifier {
  const argv = options.argv ?? [];
  if (!context.isTTY.stderr || optedOut(context.env) || context.build.commit === "source") return NOTHING;
  if (argv.some((arg) => SKIP_FLAGS.has(arg)) || (argv[0] !== undefined && SKIP_COMMANDS.has(argv[0]))) return NOTHING;
  const paths = pathsFromArgv(context, argv);
  const abort = new AbortController();
  let cache: UpdateCheckCache | null = null;
  let requesting = false;

  const work = (async () => {
    if (!checkEnabled(context, paths, options.config)) return;
    const loaded = readUpdateCheckCache(paths);
    cache = loaded;
    const started = context.clock.now();
    if (!isDue(loaded, started)) return;
    writeCache(paths, { ...loaded, attemptedAt: started }); // counts even if abandoned: no request storm on slow links
    requesting = true;
    try {
      const source = resolveReleaseSource(context.env);
      const latest = await fetchLatestRelease(context.fetch, source, {
        timeoutMs: options.timeoutMs ?? UPDATE_CHECK_TIMEOUT_MS,
        signal: abort.signal,
        userAgent: `fabstir-host/${context.build.version}`,
      });
      cache = { ...readUpdateCheckCache(paths), checkedAt: context.clock.now(), attemptedAt: started, latest: latest.version };
      writeCache(paths, cache);
    } catch {
      // Offline, slow, or abandoned: silently try again later.
    } finally {
      requesting = false;
    }
  })().catch(() => {});

  return {
    async finish() {
      if (requesting) await settledWithin(work, options.finishGraceMs ?? UPDATE_CHECK_FINISH_GRACE_MS);
      abort.abort();
      await work;
      const known = cache as UpdateCheckCache | null;
      if (!known?.latest || context.output.json || context.output.quiet) return;
      const current = context.build.version;
      if (!isNewer(known.latest, current)) return;
      const now = context.clock.now();
      const recentlyTold = known.notifiedVersion === known.latest && known.notifiedAt !== null && now - known.notifiedAt < UPDATE_CHECK_INTERVAL_MS;
      if (recentlyTold) return;
      context.stderr.write(updateNoticeLine(known.latest, current) + "\n");
      writeCache(paths, { ...known, notifiedAt: now, notifiedVersion: known.latest });
    },
  };
}
