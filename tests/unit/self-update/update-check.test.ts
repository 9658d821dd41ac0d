/** The daily update notice: cached, opt-out, quiet for machines, and never in the way of the command. */
import { realAfter, realEvery } from "../../../src/util/clock.ts";
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestContext } from "../../helpers/context.ts";
import { pathsFor } from "../../../src/config/paths.ts";
import type { FetchFn } from "../../../src/context.ts";
import { maybeNotifyUpdate, readUpdateCheckCache, updateCheckCachePath } from "../../../src/self-update/update-check.ts";

const root = mkdtempSync(join(tmpdir(), "fabstir-check-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HOUR = 3600_000;
const NOTICE = "fabstir-host 1.3.0 is available (you have 1.2.0): fabstir-host self-update\n";
let dirs = 0;

function fakeFetch(answer: () => Promise<Response> = async () => Response.json({ version: "1.3.0" })) {
  const calls: string[] = [];
  const fetch: FetchFn = async (input, init) => {
    calls.push(String(input));
    if (init?.signal?.aborted) throw new Error("aborted");
    return answer();
  };
  return { calls, fetch };
}

/** A machine at time `clock.t`, with one config directory shared by every run made through `run`. */
function machine(options: { env?: Record<string, string>; tty?: boolean } = {}) {
  const home = join(root, `m${dirs++}`);
  const paths = pathsFor(join(home, "fabstir"));
  const clock = { t: Date.UTC(2026, 6, 1), now: () => clock.t, sleep: async () => {}, every: realEvery, after: realAfter };
  const env = { HOME: home, NO_COLOR: "1", FABSTIR_UPDATE_BASE: "http://127.0.0.1:9", ...options.env };
  const run = async (fetch: FetchFn, argv: string[] = ["status"], json = false) => {
    const context = makeTestContext({ paths, env, tty: options.tty ?? true, fetch, clock, build: { version: "1.2.0", commit: "abc" } });
    const notifier = maybeNotifyUpdate(context, { argv });
    await Bun.sleep(5); // the command runs
    context.output = { ...context.output, json };
    await notifier.finish();
    return context.err.text();
  };
  return { paths, clock, run };
}

describe("daily update check", () => {
  test("checks once per 24 h and tells once per version per day", async () => {
    const m = machine();
    const net = fakeFetch();
    expect(await m.run(net.fetch)).toBe(NOTICE);
    expect(net.calls).toEqual(["http://127.0.0.1:9/latest/download/latest.json"]);
    expect(readUpdateCheckCache(m.paths)).toMatchObject({ latest: "1.3.0", checkedAt: m.clock.t, notifiedVersion: "1.3.0" });

    m.clock.t += 3 * HOUR;
    expect(await m.run(net.fetch)).toBe(""); // cached, and already told today
    expect(net.calls.length).toBe(1);

    m.clock.t += 22 * HOUR;
    expect(await m.run(net.fetch)).toBe(NOTICE);
    expect(net.calls.length).toBe(2);
  });

  test("nothing is printed when the running version is current", async () => {
    const m = machine();
    const net = fakeFetch(async () => Response.json({ version: "1.2.0" }));
    expect(await m.run(net.fetch)).toBe("");
    expect(net.calls.length).toBe(1);
  });

  test("never in --json output or with --quiet, nor for self-update itself", async () => {
    const m = machine();
    const net = fakeFetch();
    expect(await m.run(net.fetch, ["status", "--json"])).toBe("");
    expect(await m.run(net.fetch, ["-q", "status"])).toBe("");
    expect(await m.run(net.fetch, ["self-update"])).toBe("");
    expect(net.calls.length).toBe(0);
    // --json set by the command (e.g. through a combined flag) still silences it; the answer is kept for later.
    expect(await m.run(net.fetch, ["status"], true)).toBe("");
    expect(net.calls.length).toBe(1);
    expect(await m.run(net.fetch, ["status"])).toBe(NOTICE);
  });

  test("never when stderr is not a terminal: no request either", async () => {
    const m = machine({ tty: false });
    const net = fakeFetch();
    expect(await m.run(net.fetch)).toBe("");
    expect(net.calls.length).toBe(0);
    expect(existsSync(updateCheckCachePath(m.paths))).toBe(false);
  });

  test("opt-out: FABSTIR_NO_UPDATE_CHECK=1, or updates.check=false in the config", async () => {
    const net = fakeFetch();
    expect(await machine({ env: { FABSTIR_NO_UPDATE_CHECK: "1" } }).run(net.fetch)).toBe("");
    expect(await machine({ env: { FABSTIR_UPDATES_CHECK: "false" } }).run(net.fetch)).toBe("");
    const m = machine();
    mkdirSync(m.paths.home, { recursive: true });
    writeFileSync(m.paths.configFile, JSON.stringify({ version: 1, updates: { check: false } }));
    expect(await m.run(net.fetch)).toBe("");
    expect(net.calls.length).toBe(0);
  });

  test("a failed check is silent and retried after a few hours, not on every command", async () => {
    const m = machine();
    const down = fakeFetch(async () => {
      throw new TypeError("fetch failed");
    });
    expect(await m.run(down.fetch)).toBe("");
    m.clock.t += HOUR;
    expect(await m.run(down.fetch)).toBe("");
    expect(down.calls.length).toBe(1);
    m.clock.t += 4 * HOUR;
    const up = fakeFetch();
    expect(await m.run(up.fetch)).toBe(NOTICE);
    expect(up.calls.length).toBe(1);
  });

  test("a slow answer is abandoned when the command is done, within a short grace", async () => {
    const m = machine();
    let aborted = false;
    const hang: FetchFn = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => {
          aborted = true;
          reject(new Error("aborted"));
        });
      });
    const started = performance.now();
    expect(await m.run(hang)).toBe("");
    expect(performance.now() - started).toBeLessThan(1500);
    expect(aborted).toBe(true);
  });

  test("--config-dir on the command line chooses where the cache lives", async () => {
    const m = machine();
    const other = join(root, "other-config");
    expect(await m.run(fakeFetch().fetch, ["status", "--config-dir", other])).toBe(NOTICE);
    expect(existsSync(updateCheckCachePath(pathsFor(other)))).toBe(true);
    expect(existsSync(updateCheckCachePath(m.paths))).toBe(false);
  });
});
