/** Known keys, passwords and fakes shared by the wallet tests. */
import { mkdtempSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { spawn } from "node:child_process";
import { realAfter, realEvery, type Clock } from "../../../src/util/clock.ts";
import type { WalletDeps } from "../../../src/wallet/types.ts";
import { createMemoryKeyringClient } from "../../../src/wallet/keyring-client.ts";
import { createNullLogger } from "../../../src/ops/logging/logger.ts";
import { scriptedPrompter } from "../../helpers/context.ts";

/** Test-only key (never funded). */
export const TEST_KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
export const TEST_ADDRESS = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
/** The well-known development phrase; its first account is below. */
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";
export const TEST_MNEMONIC_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
export const TEST_PASSWORD = "correct horse battery staple 9";
export const OTHER_PASSWORD = "Another-Strong-Passphrase-42";
/** Low scrypt work factor, honoured only under the test runner. */
export const TEST_SCRYPT_N = "1024";

export function tempDir(prefix = "wallet-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function secretFile(dir: string, name: string, content: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

export function fakeClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms), every: realEvery, after: realAfter };
}

export type TestDeps = WalletDeps & { notes: string[]; warnings: string[]; revealed: string[]; clock: Clock & { sleeps: number[] } };

export function testDeps(overrides: Partial<WalletDeps> = {}): TestDeps {
  const notes: string[] = [];
  const warnings: string[] = [];
  const revealed: string[] = [];
  const deps = {
    keystoreDir: join(tempDir(), "keystore"),
    env: { FABSTIR_TEST_SCRYPT_N: TEST_SCRYPT_N },
    interactive: { stdin: false, stdout: false },
    stdin: Readable.from([]),
    prompter: scriptedPrompter(),
    clock: fakeClock(),
    logger: createNullLogger(),
    spawn,
    keyring: createMemoryKeyringClient(),
    note: (text: string) => void notes.push(text),
    warn: (text: string) => void warnings.push(text),
    warning: (code: { code: string }, text: string) => void warnings.push(`warning ${code.code}: ${text}`),
    reveal: (text: string) => void revealed.push(text),
    ...overrides,
  } as TestDeps;
  deps.notes = notes;
  deps.warnings = warnings;
  deps.revealed = revealed;
  return deps;
}

/** Runs `fn`, expecting a HostError with `code`; returns it for more checks. */
export async function expectCode(fn: () => unknown, code: string): Promise<Error & { code: string; hint?: string }> {
  try {
    await fn();
  } catch (error) {
    const failure = error as Error & { code: string; hint?: string };
    if (failure.code !== code) throw new Error(`expected ${code}, got ${failure.code ?? "no code"}: ${failure.message}`);
    return failure;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}
