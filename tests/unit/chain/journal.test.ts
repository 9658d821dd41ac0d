/** The journal on disk and the pid locks. */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tryLock } from "../../../src/chain/tx/file-lock.ts";
import { IntentJournal } from "../../../src/chain/tx/journal.ts";
import type { IntentRecord } from "../../../src/chain/tx/types.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function journal(): IntentJournal {
  const root = mkdtempSync(join(tmpdir(), "fabstir-journal-"));
  dirs.push(root);
  return new IntentJournal(join(root, "tx-journal"), 84532, "0xAbC0000000000000000000000000000000000001");
}

function record(key: string, state: IntentRecord["state"], at = 1): IntentRecord {
  return {
    version: 1,
    key,
    chainId: 84532,
    from: "0xAbC0000000000000000000000000000000000001",
    to: "0x0000000000000000000000000000000000000002",
    data: "0x",
    value: "0",
    description: key,
    gasLimit: null,
    state,
    createdAt: at,
    updatedAt: at,
    attempts: [],
    receipt: null,
    error: null,
    history: [],
  };
}

describe("IntentJournal", () => {
  test("unfinished intents live in active/, finished ones move to done/", () => {
    const j = journal();
    j.write(record("proof:1:100", "sent", 1));
    expect(j.listActive().map((r) => r.key)).toEqual(["proof:1:100"]);
    j.write({ ...record("proof:1:100", "confirmed", 2) });
    expect(j.listActive()).toEqual([]);
    expect(j.listDone().map((r) => r.key)).toEqual(["proof:1:100"]);
    expect(j.read("proof:1:100")!.state).toBe("confirmed");
    // Per chain and per address, private to the user.
    expect(j.dir).toEndWith("84532-0xabc0000000000000000000000000000000000001");
    expect(statSync(j.activeDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(j.doneDir, IntentJournal.fileName("proof:1:100"))).mode & 0o777).toBe(0o600);
    expect(readdirSync(j.activeDir)).toEqual([]); // no temporary files left behind
  });

  test("a re-planned failed intent: the newer record wins", () => {
    const j = journal();
    j.write(record("register:0xabc", "failed", 5));
    j.write(record("register:0xabc", "planned", 9));
    expect(j.read("register:0xabc")!.state).toBe("planned");
    expect(existsSync(join(j.doneDir, IntentJournal.fileName("register:0xabc")))).toBe(false);
  });

  test("a damaged file is a clear error naming it", () => {
    const j = journal();
    writeFileSync(join(j.activeDir, IntentJournal.fileName("x")), "{ half");
    expect(() => j.read("x")).toThrow(/Transaction journal: .* is damaged/);
  });

  test("prune removes old finished records only", () => {
    const j = journal();
    j.write(record("old", "confirmed", 10));
    j.write(record("new", "confirmed", 1000));
    j.write(record("live", "sent", 5));
    expect(j.prune(500)).toBe(1);
    expect(j.listDone().map((r) => r.key)).toEqual(["new"]);
    expect(j.listActive().map((r) => r.key)).toEqual(["live"]);
  });
});

describe("pid locks", () => {
  test("held by a live process: refused; left by a dead one: taken over", () => {
    const j = journal();
    const path = j.intentLockPath("k");
    const release = tryLock(path)!;
    expect(release).toBeFunction();
    expect(tryLock(path)).toBeUndefined(); // our own pid is alive
    release();
    expect(existsSync(path)).toBe(false);

    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, at: Date.now() })); // no such process
    const taken = tryLock(path);
    expect(taken).toBeFunction();
    taken!();

    // A live pid, but the lock dates from before this boot: the pid was reused, the lock is stale.
    writeFileSync(path, JSON.stringify({ pid: process.pid, at: 1000 }));
    const afterReboot = tryLock(path);
    expect(afterReboot).toBeFunction();
    afterReboot!();
  });
});
