#!/usr/bin/env bun
/**
 * Runs the whole test suite with `bun test` and ends with the line CI reads: "N passed, N failed".
 * Extra arguments go to `bun test` (a path filter, --bail …). Exit code 1 on any failure.
 *
 * Bun prints why a test failed just above its "(fail)" line, somewhere in a long run; a CI log is often read from
 * its end. So the output of each failed test (what the test printed and the error, a bounded amount) is repeated
 * just before the summary.
 */
const args = process.argv.slice(2);
// Integration tests start chains and processes: the per-test default of 5 s is too tight on a busy 2-core machine.
const child = Bun.spawn(["bun", "test", "--timeout", "60000", ...args], {
  stdout: "pipe",
  stderr: "pipe",
  env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
});

const MAX_LINES_PER_FAILURE = 40;
const MAX_FAILURES_SHOWN = 4;
let tail = "";
/** Lines since the last test result or file header: the output of the test that is running. */
let current: string[] = [];
let currentFile = "";
const failures: { file: string; title: string; lines: string[] }[] = [];
let partial = "";

let inSummary = false;

function consumeLine(line: string): void {
  // Bun's closing lists ("2 tests failed:" …) name the failures again, without their output.
  if (/^\s*\d+ tests? (failed|skipped|todo)/.test(line)) inSummary = true;
  if (inSummary) return;
  if (/^(tests|scripts|src)\/.*\.test\.ts:$/.test(line.trim())) {
    currentFile = line.trim().replace(/:$/, "");
    current = [];
    return;
  }
  if (/^\((pass|skip|todo)\) /.test(line)) {
    current = [];
    return;
  }
  if (line.startsWith("(fail) ")) {
    failures.push({ file: currentFile, title: line, lines: current.slice(-MAX_LINES_PER_FAILURE) });
    current = [];
    return;
  }
  current.push(line);
  if (current.length > MAX_LINES_PER_FAILURE * 4) current = current.slice(-MAX_LINES_PER_FAILURE);
}

async function pump(stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream, parse: boolean): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    sink.write(text);
    tail = (tail + text).slice(-20000);
    if (!parse) continue;
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) consumeLine(line);
  }
}
// Bun writes test results and their errors to stderr; stdout carries what tests print themselves.
await Promise.all([pump(child.stdout, process.stdout, false), pump(child.stderr, process.stderr, true)]);
if (partial) consumeLine(partial);
const code = await child.exited;

const passed = Number(/^\s*(\d+) pass\s*$/m.exec(tail)?.[1] ?? 0);
const failed = Number(/^\s*(\d+) fail\s*$/m.exec(tail)?.[1] ?? 0);
if (failures.length > 0) {
  console.log(`\nFailures, repeated from above (${failures.length}${failures.length > MAX_FAILURES_SHOWN ? `, the first ${MAX_FAILURES_SHOWN}` : ""}):`);
  for (const failure of failures.slice(0, MAX_FAILURES_SHOWN)) {
    console.log(`\n--- ${failure.file}\n${failure.lines.join("\n")}\n${failure.title}`);
  }
  console.log("");
}
// A crashed runner reports no counts: count it as a failure rather than a silent pass.
const failedCount = failed + (code !== 0 && failed === 0 ? 1 : 0);
console.log(`${passed} passed, ${failedCount} failed`);
process.exitCode = failedCount > 0 || code !== 0 ? 1 : 0;

export {};
