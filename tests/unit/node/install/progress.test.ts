import { describe, expect, test } from "bun:test";
import { createProgressReporter } from "../../../../src/node/install/progress.ts";
import { Capture } from "../../../helpers/context.ts";

describe("download progress", () => {
  test("draws a cli-progress bar on a terminal", () => {
    const stderr = Object.assign(new Capture(), { isTTY: true, columns: 120 });
    const reporter = createProgressReporter({ stderr, isTTY: { stderr: true }, output: { json: false, quiet: false } }, "fabstir-llm-node");
    reporter.onProgress({ received: 0, total: 4 * 1024 * 1024, resumedFrom: 0 });
    reporter.onProgress({ received: 4 * 1024 * 1024, total: 4 * 1024 * 1024, resumedFrom: 0 });
    reporter.stop();
    const text = stderr.text();
    expect(text).toContain("fabstir-llm-node [");
    expect(text).toContain("100%");
    expect(text).toContain("4.0 MiB / 4.0 MiB");
  });

  test("silent in pipes, --json and --quiet", () => {
    for (const [tty, json, quiet] of [
      [false, false, false],
      [true, true, false],
      [true, false, true],
    ] as const) {
      const stderr = Object.assign(new Capture(), { isTTY: tty });
      const reporter = createProgressReporter({ stderr, isTTY: { stderr: tty }, output: { json, quiet } }, "x");
      reporter.onProgress({ received: 10, total: 100, resumedFrom: 0 });
      reporter.stop();
      expect(stderr.text()).toBe("");
    }
  });
});
