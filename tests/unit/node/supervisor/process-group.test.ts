import { describe, expect, test } from "bun:test";
import { groupMembers, isGroupAlive, isProcessAlive, processStartToken, terminateGroup } from "../../../../src/node/supervisor/process-group.ts";

describe("process groups", () => {
  test("terminateGroup: SIGINT first, SIGKILL for members that ignore it; none survives", async () => {
    // A leader that exits on SIGINT and a member that ignores it.
    const proc = Bun.spawn(["sh", "-c", '(trap "" INT; while true; do sleep 0.1; done) & while true; do sleep 0.1; done'], {
      detached: true,
      stdout: "ignore",
    });
    try {
      await Bun.sleep(200);
      expect(groupMembers(proc.pid).length).toBeGreaterThanOrEqual(2);
      const how = await terminateGroup(proc.pid, 500);
      expect(how).toBe("killed");
      expect(isGroupAlive(proc.pid)).toBe(false);
    } finally {
      try {
        process.kill(-proc.pid, "SIGKILL");
      } catch {}
    }
  });

  test("a dead or never-existing pid is not alive; the start token tells processes apart", async () => {
    const proc = Bun.spawn(["sleep", "5"]);
    const token = processStartToken(proc.pid);
    expect(isProcessAlive(proc.pid)).toBe(true);
    expect(token).toBeDefined();
    expect(processStartToken(process.pid)).not.toBe(token);
    proc.kill("SIGKILL");
    await proc.exited;
    expect(isProcessAlive(proc.pid)).toBe(false);
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(undefined)).toBe(false);
    expect(await terminateGroup(proc.pid, 100)).toBe("not-running");
  });
});
