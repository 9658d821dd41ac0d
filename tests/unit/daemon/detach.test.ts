import { describe, expect, test } from "bun:test";
import { Readable } from "node:stream";
import { readHandoff, statusFromError } from "../../../src/daemon/detach.ts";
import { selfCommand } from "../../../src/util/self-command.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { SupervisorErrors } from "../../../src/errors/codes/supervisor.ts";
import { redact } from "../../../src/util/redact.ts";
import { CoreErrors } from "../../../src/errors/codes/index.ts";

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

describe("daemon hand-off", () => {
  test("reads the parent's line from stdin and registers the key for redaction", async () => {
    const handoff = await readHandoff(Readable.from([`{"hostKey":"${KEY.slice(0, 20)}`, `${KEY.slice(20)}"}\n`]));
    expect(handoff.hostKey).toBe(KEY);
    expect(redact(`oops ${KEY}`)).toBe("oops [REDACTED]");
  });

  test("an empty stdin means no key", async () => {
    expect(await readHandoff(Readable.from([]))).toEqual({});
  });

  test("errors travel to the parent with code, message, hint and exit code", () => {
    const message = statusFromError(new HostError(SupervisorErrors.NODE_START_FAILED, "The node exited with code 1 before it was ready."));
    expect(message).toEqual({
      type: "error",
      error: {
        code: SupervisorErrors.NODE_START_FAILED.code,
        message: "The node exited with code 1 before it was ready.",
        hint: SupervisorErrors.NODE_START_FAILED.hint!,
        exitCode: 1,
        details: undefined,
      },
    });
    expect(statusFromError(new Error("boom"))).toMatchObject({ type: "error", error: { code: CoreErrors.INTERNAL.code, message: "Unexpected error: boom" } });
  });

  test("from source, the daemon is `bun <src>/main.ts`", () => {
    const [bun, main] = selfCommand();
    expect(bun).toBe(process.execPath);
    expect(main).toMatch(/src\/main\.ts$/);
  });
});
