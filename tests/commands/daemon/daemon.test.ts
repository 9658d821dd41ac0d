/**
 * The daemon group in-process, where no process is involved: what start, stop and restart say on a machine with no
 * host set up or running. Starting and stopping real hosts is in tests/integration/daemon (real child processes).
 */
import { describe, expect, test } from "bun:test";
import { CoreErrors } from "../../../src/errors/codes/index.ts";
import { makeTestContext, runCli } from "../../helpers/context.ts";

describe("fabstir-host start, stop, restart", () => {
  test("stop with no host running says so and succeeds", async () => {
    const result = await runCli(["stop", "--json"], makeTestContext());
    expect(result.code).toBe(0);
    expect(result.json().data).toMatchObject({ found: "not-running", pid: null });
  });

  test("start and restart without a configuration name init, with the log path", async () => {
    for (const argv of [
      ["start", "--json"],
      ["restart", "--json"],
    ]) {
      const result = await runCli(argv, makeTestContext());
      expect(result.code).toBe(1);
      expect(result.json().error).toMatchObject({ code: CoreErrors.NOT_INITIALIZED.code, hint: "Try: fabstir-host init" });
      expect(result.json().error.log).toEndWith("cli.log");
    }
  });
});
