/**
 * How this program starts another copy of itself (the daemon, the keychain helper). In the compiled binary that is
 * the binary; from source it is the Bun runtime with src/main.ts. The test is on the running executable: the bundler
 * fixes `import.meta` paths at build time, so they cannot tell a compiled binary from a source run.
 */
import { basename, resolve } from "node:path";

export function isCompiledBinary(execPath = process.execPath): boolean {
  return !/^(bun|bun-debug|node)(\.exe)?$/i.test(basename(execPath.replace(/\\/g, "/")));
}

/** argv that runs `fabstir-host` again, before its own arguments. */
export function selfCommand(): string[] {
  return isCompiledBinary() ? [process.execPath] : [process.execPath, resolve(import.meta.dir, "..", "main.ts")];
}
