#!/usr/bin/env bun
/**
 * Runs the whole test suite with `bun test` and ends with the line CI reads: "N passed, N failed".
 * Extra arguments go to `bun test` (a path filter, --bail …). Exit code 1 on any failure.
 */
const args = process.argv.slice(2);
// Integration tests start chains and processes: the per-test default of 5 s is too tight on a busy 2-core machine.
const child = Bun.spawn(["bun", "test", "--timeout", "60000", ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });

let tail = "";
async function pump(stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    sink.write(text);
    tail = (tail + text).slice(-20000);
  }
}
await Promise.all([pump(child.stdout, process.stdout), pump(child.stderr, process.stderr)]);
const code = await child.exited;

const passed = Number(/^\s*(\d+) pass\s*$/m.exec(tail)?.[1] ?? 0);
const failed = Number(/^\s*(\d+) fail\s*$/m.exec(tail)?.[1] ?? 0);
// A crashed runner reports no counts: count it as a failure rather than a silent pass.
const failures = failed + (code !== 0 && failed === 0 ? 1 : 0);
console.log(`${passed} passed, ${failures} failed`);
process.exitCode = failures > 0 || code !== 0 ? 1 : 0;

export {};
