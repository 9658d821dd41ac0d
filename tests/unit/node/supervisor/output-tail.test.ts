import { describe, expect, test } from "bun:test";
import { formatTail, LineSplitter, OutputTail } from "../../../../src/node/supervisor/output-tail.ts";

describe("LineSplitter", () => {
  test("splits chunks into lines, across chunk boundaries and multi-byte characters", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const bytes = new TextEncoder().encode("✅ Model loaded\r\n🎉 Fabstir LLM Node is running\npartial");
    splitter.push(bytes.slice(0, 2)); // in the middle of ✅
    splitter.push(bytes.slice(2, 20));
    splitter.push(bytes.slice(20));
    expect(lines).toEqual(["✅ Model loaded", "🎉 Fabstir LLM Node is running"]);
    splitter.flush();
    expect(lines.at(-1)).toBe("partial");
  });

  test("a runaway line without newline is cut, not buffered forever", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push("x".repeat(70 * 1024));
    expect(lines).toHaveLength(1);
  });
});

describe("OutputTail", () => {
  test("keeps the newest lines", () => {
    const tail = new OutputTail(3);
    for (const n of [1, 2, 3, 4, 5]) tail.add(`line ${n}`);
    expect(tail.last(20)).toEqual(["line 3", "line 4", "line 5"]);
    expect(tail.last(2)).toEqual(["line 4", "line 5"]);
    expect(formatTail(tail.last(1))).toBe("  | line 5");
    expect(formatTail([])).toContain("printed nothing");
  });
});
