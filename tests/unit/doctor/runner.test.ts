import { afterEach, describe, expect, test } from "bun:test";
import { builtinChecks } from "../../../src/doctor/checks/index.ts";
import { registerChainDoctorChecks } from "../../../src/doctor/checks/chain-checks.ts";
import { runDoctor, mergeChecks } from "../../../src/doctor/runner.ts";
import { doctorChecks, registerDoctorCheck, unregisterDoctorCheck, RESERVED_CHECK_IDS } from "../../../src/doctor/registry.ts";
import { renderDoctorReport } from "../../../src/cli/render/doctor.ts";
import { styleFor } from "../../../src/cli/style.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { NodeErrors } from "../../../src/errors/codes/node.ts";
import type { DoctorCheck } from "../../../src/doctor/types.ts";
import { doctorContext } from "./helpers.ts";

const check = (id: string, run: DoctorCheck["run"], timeoutMs?: number): DoctorCheck => ({ id, title: `Check ${id}`, run, timeoutMs });

afterEach(() => {
  unregisterDoctorCheck("rpc");
  unregisterDoctorCheck("extra");
});

describe("runDoctor", () => {
  test("runs checks concurrently, each under its timeout; crashes and HostErrors become fail lines", async () => {
    const started = Date.now();
    const report = await runDoctor(doctorContext(), {
      checks: [
        check("slow-a", async () => (await Bun.sleep(150), { status: "pass", summary: "a" })),
        check("slow-b", async () => (await Bun.sleep(150), { status: "warn", summary: "b", fix: "do b" })),
        check("hang", () => new Promise(() => {}), 100),
        check("crash", async () => {
          throw new Error("boom");
        }),
        check("host-error", async () => {
          throw new HostError(NodeErrors.NODE_NOT_INSTALLED, "No build.");
        }),
        check("skip", async () => ({ status: "skip", summary: "n/a" })),
      ],
    });
    // In parallel: ~150 ms; one after another would take 400 ms or more (150 + 150 + the 100 ms timeout).
    expect(Date.now() - started).toBeLessThan(390);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ["slow-a", "pass"],
      ["slow-b", "warn"],
      ["hang", "fail"],
      ["crash", "fail"],
      ["host-error", "fail"],
      ["skip", "skip"],
    ]);
    expect(report.checks[2]!.summary).toContain("no answer within");
    expect(report.checks[3]!.summary).toContain("boom");
    expect(report.checks[4]!).toMatchObject({ summary: "No build. (FH0413)", fix: "Run `fabstir-host node install`." });
    expect(report.counts).toEqual({ pass: 1, warn: 1, fail: 3, skip: 1 });
    expect(report.healthy).toBe(false);
  });

  test("--only filters; extra checks replace same-id ones", async () => {
    const base = [check("a", async () => ({ status: "pass", summary: "a" })), check("b", async () => ({ status: "fail", summary: "b" }))];
    const report = await runDoctor(doctorContext(), { checks: base, extraChecks: [check("b", async () => ({ status: "pass", summary: "b2" }))], only: ["b"] });
    expect(report.checks.map((c) => c.summary)).toEqual(["b2"]);
    expect(report.healthy).toBe(true);
    expect(mergeChecks(base, [check("c", async () => ({ status: "pass", summary: "" }))]).map((c) => c.id)).toEqual(["a", "b", "c"]);
  });

  test("registerDoctorCheck adds the chain/wallet checks after the built-ins, and replaces by id", () => {
    // Other tests may have registered the chain checks already (the registry lives as long as the process).
    const builtins = builtinChecks().map((c) => c.id);
    expect(builtins).toEqual([
      "config",
      "system",
      "gpu",
      "node-binary",
      "node-variant",
      "vram",
      "node-instances",
      "disk",
      "ports",
      "public-url",
      "clock",
      "keychain",
      "signer",
      "node-cuda",
      "s5",
      "node-signer-chain",
      "node-exposure",
      "encrypted-sessions",
    ]);
    expect(RESERVED_CHECK_IDS).toContain("rpc");
    try {
      registerDoctorCheck(check("rpc", async () => ({ status: "pass", summary: "chain 84532" })));
      registerDoctorCheck(check("extra", async () => ({ status: "pass", summary: "" })));
      registerDoctorCheck({ ...check("rpc", async () => ({ status: "pass", summary: "v2" })) });
      const ids = doctorChecks().map((c) => c.id);
      expect(ids.slice(0, builtins.length)).toEqual(builtins);
      expect(ids.filter((id) => id === "rpc")).toHaveLength(1);
      expect(ids.at(-1)).toBe("extra");
      registerDoctorCheck(check("gpu", async () => ({ status: "skip", summary: "replaced" })));
      expect(doctorChecks().find((c) => c.id === "gpu")!.title).toBe("Check gpu");
      unregisterDoctorCheck("gpu");
      expect(doctorChecks().find((c) => c.id === "gpu")!.title).toBe("GPU and driver");
    } finally {
      unregisterDoctorCheck("extra");
      unregisterDoctorCheck("rpc");
      registerChainDoctorChecks(); // the real chain checks back, for the tests that run after this one
    }
  });

  test("the text report: a table, then the fixes, then the counts", async () => {
    const report = await runDoctor(doctorContext(), {
      checks: [check("a", async () => ({ status: "pass", summary: "fine" })), check("b", async () => ({ status: "fail", summary: "broken", fix: "Run `x`." }))],
    });
    const text = renderDoctorReport(report, styleFor({ color: false }));
    expect(text).toContain("STATUS  CHECK    RESULT");
    expect(text).toMatch(/PASS\s+Check a\s+fine/);
    expect(text).toContain("How to fix:\n  FAIL Check b: Run `x`.");
    expect(text).toContain("1 passed, 0 warnings, 1 failed.");
  });
});
