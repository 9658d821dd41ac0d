/**
 * How this program starts another copy of itself (the daemon, the keychain helper). In the compiled binary that is
 * the binary; from source it is the Bun runtime with src/main.ts. The test is on the running executable: the bundler
 * fixes `import.meta` paths at build time, so they cannot tell a compiled binary from a source run.
 */
import { basename, resolve } from "node:path";

/** True when the executable is a JavaScript runtime (a source run), not our own compiled binary. */
export function isRuntimeExecutable(execPath: string): boolean {
  return /^(bun|bun-debug|bunx|node)(\.exe)?$/i.test(basename(execPath.replace(/\\/g, "/")));
}

export function isCompiledBinary(execPath = process.execPath): boolean {
  return !isRuntimeExecutable(execPath);
}

/** argv that runs `fabstir-host` again, before its own arguments. */
export function selfCommand(): string[] {
  return isCompiledBinary() ? [process.execPath] : [process.execPath, resolve(import.meta.dir, "..", "main.ts")];
}
