/**
 * Settled history is compacted after the retention: finished proof journals become archive lines that `status` still
 * reads, finished transaction records go; unfinished work, fresh history and damaged files stay.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archivePath, pruneState, readArchivedSessions } from "../../../../src/ops/maintenance/prune-state.ts";
import { journalSessions } from "../../../../src/host/status/local.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-12-01T12:00:00Z");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fabstir-prune-"));
  dirs.push(dir);
  for (const sub of ["proofs/finished", "proofs/active", "tx-journal/31337-0xabc/done", "tx-journal/31337-0xabc/active"])
    mkdirSync(join(dir, sub), { recursive: true });
  return dir;
}

function session(dir: string, folder: "finished" | "active", id: string, jobId: string, endedDaysAgo: number, extra: Record<string, unknown> = {}) {
  const at = NOW - endedDaysAgo * DAY;
  const record = {
    sessionId: id,
    jobId,
    encrypted: false,
    generated: 450,
    proven: 400,
    ended: true,
    openedAt: at - 60_000,
    endedAt: at,
    finished: folder === "finished",
    attempts: 0,
    proofs: [
      { key: `proof:${jobId}:100`, tokens: 100, cumulative: 100, state: "landed", by: "cli", at },
      { key: `proof:${jobId}:200`, tokens: 100, cumulative: 200, state: "failed", by: "cli", at },
    ],
    settlement: { key: `complete:${jobId}`, kind: "complete", state: "landed", at },
    ...extra,
  };
  writeFileSync(join(dir, "proofs", folder, `${id}.json`), JSON.stringify(record));
}

function tx(dir: string, folder: "done" | "active", name: string, state: string, updatedDaysAgo: number) {
  writeFileSync(join(dir, "tx-journal/31337-0xabc", folder, `${name}.json`), JSON.stringify({ key: name, state, updatedAt: NOW - updatedDaysAgo * DAY }));
}

describe("pruneState", () => {
  test("archives finished sessions past the retention, keeps the rest, and status still sees them", () => {
    const dir = stateDir();
    session(dir, "finished", "old", "1", 45);
    session(dir, "finished", "recent", "2", 3);
    session(dir, "active", "open", "3", 45, { finished: false });
    writeFileSync(join(dir, "proofs", "finished", "damaged.json"), "{ not json");

    expect(pruneState(dir, NOW)).toEqual({ sessionsArchived: 1, transactionsRemoved: 0 });
    expect(readdirSync(join(dir, "proofs", "finished")).sort()).toEqual(["damaged.json", "recent.json"]);
    expect(readdirSync(join(dir, "proofs", "active"))).toEqual(["open.json"]);
    expect(readArchivedSessions(dir)).toEqual([{ jobId: "1", sessionId: "old", generated: 450, proofs: 1, endedAt: NOW - 45 * DAY }]);
    expect(statSync(archivePath(dir)).mode & 0o077).toBe(0);
    const seen = journalSessions(dir);
    expect(seen.get("1")).toEqual({ generated: 450, proofs: 1, pending: 0 });
    expect([...seen.keys()].sort()).toEqual(["1", "2", "3"]);

    // A second run finds nothing more to do.
    expect(pruneState(dir, NOW)).toEqual({ sessionsArchived: 0, transactionsRemoved: 0 });
  });

  test("an archive line written twice (a crash before the file went) counts once", () => {
    const dir = stateDir();
    session(dir, "finished", "old", "1", 45);
    pruneState(dir, NOW);
    session(dir, "finished", "old", "1", 45);
    pruneState(dir, NOW);
    expect(readArchivedSessions(dir)).toHaveLength(1);
  });

  test("removes finished transaction records past the retention, never unfinished ones", () => {
    const dir = stateDir();
    tx(dir, "done", "confirmed-old", "confirmed", 40);
    tx(dir, "done", "failed-old", "failed", 40);
    tx(dir, "done", "confirmed-recent", "confirmed", 2);
    tx(dir, "active", "sent-old", "sent", 40);
    expect(pruneState(dir, NOW).transactionsRemoved).toBe(2);
    expect(readdirSync(join(dir, "tx-journal/31337-0xabc/done"))).toEqual(["confirmed-recent.json"]);
    expect(existsSync(join(dir, "tx-journal/31337-0xabc/active/sent-old.json"))).toBe(true);
  });

  test("a state directory without any history is fine", () => {
    const dir = mkdtempSync(join(tmpdir(), "fabstir-prune-"));
    dirs.push(dir);
    expect(pruneState(dir, NOW)).toEqual({ sessionsArchived: 0, transactionsRemoved: 0 });
    expect(existsSync(join(dir, "proofs"))).toBe(false);
  });
});
