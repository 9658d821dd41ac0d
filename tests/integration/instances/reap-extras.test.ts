/** A host killed with several nodes: the next start (or stop) stops the further nodes it left, never a stranger. */
import { afterEach, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reapExtraNodes } from "../../../src/node/instances/reap-extras.ts";
import { readNodesFile, writeNodesFile, type NodeReport } from "../../../src/node/instances/nodes-file.ts";
import { isProcessAlive, processStartToken } from "../../../src/node/supervisor/process-group.ts";
import { createNullLogger } from "../../../src/ops/logging/logger.ts";
import { killGroup, waitFor } from "../supervisor/helpers.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function leftover(): number {
  // Its own process group, as the supervisor starts every node.
  const child = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
  child.unref();
  cleanups.push(() => killGroup(child.pid));
  return child.pid!;
}

const row = (name: string, pid: number, processStart: string | null): NodeReport => ({
  name,
  model: "a/b:c.gguf",
  gpus: [],
  state: "running",
  port: null,
  pid,
  restarts: 0,
  health: null,
  unhealthyReason: null,
  sessions: 0,
  processStart,
});

describe("reaping further nodes", () => {
  test("stops the nodes the dead host listed after the first; leaves a pid now used by another process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reap-extras-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = leftover();
    const second = leftover();
    const stranger = leftover();
    writeNodesFile(dir, [
      row("node", first, processStartToken(first) ?? null),
      row("node-2", second, processStartToken(second) ?? null),
      row("node-3", stranger, "not-its-start-time"),
    ]);
    const stopped = await reapExtraNodes(dir, dir, fetch, createNullLogger(), 2_000);
    expect(stopped).toEqual([second]);
    await waitFor(() => !isProcessAlive(second), 5_000, "node-2 gone");
    // The first node is the PID file's to reap; a pid with another start time is someone else's.
    expect([isProcessAlive(first), isProcessAlive(stranger)]).toEqual([true, true]);
    expect(readNodesFile(dir)).toBeNull();
  });
});
