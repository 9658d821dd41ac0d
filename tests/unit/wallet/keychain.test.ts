import { describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import type { SpawnFn } from "../../../src/context.ts";
import { chooseBackend } from "../../../src/wallet/choose-backend.ts";
import { createChildKeyringClient, createMemoryKeyringClient } from "../../../src/wallet/keyring-client.ts";
import { createKeychainStore } from "../../../src/wallet/keychain-store.ts";
import { handleKeyringRequest } from "../../../src/wallet/keyring-child.ts";
import { keyPairFromPrivateKey } from "../../../src/wallet/keystore-crypto.ts";
import { expectCode, testDeps, TEST_ADDRESS, TEST_KEY } from "./wallet-fixtures.ts";
import { WalletErrors } from "../../../src/errors/codes/index.ts";

describe("choosing a backend", () => {
  test("a keychain that keeps keys across reboots is the default", async () => {
    expect(await chooseBackend({ keyring: createMemoryKeyringClient() })).toEqual({ backend: "keychain" });
  });

  test("no keychain: a keystore file, with one line saying why", async () => {
    const choice = await chooseBackend({ keyring: createMemoryKeyringClient({ available: false }) });
    expect(choice.backend).toBe("keystore");
    expect(choice.explanation).toContain("no usable OS keychain");
  });

  test("only the kernel keyring (gone at reboot): a keystore file by default, the keyring only when forced", async () => {
    const volatile = createMemoryKeyringClient({ persistent: false });
    const automatic = await chooseBackend({ keyring: volatile });
    expect(automatic.backend).toBe("keystore");
    expect(automatic.explanation).toContain("forgets keys at reboot");
    const forced = await chooseBackend({ keyring: volatile }, "keychain");
    expect(forced.backend).toBe("keychain");
    expect(forced.explanation).toContain("backup");
  });

  test("--backend keychain where none works is an error; --backend keystore never probes", async () => {
    await expectCode(() => chooseBackend({ keyring: createMemoryKeyringClient({ available: false }) }, "keychain"), WalletErrors.KEYCHAIN_UNAVAILABLE.code);
    const keyring = {
      ...createMemoryKeyringClient(),
      probe: async () => {
        throw new Error("must not probe");
      },
    };
    expect(await chooseBackend({ keyring }, "keystore")).toEqual({ backend: "keystore" });
  });
});

describe("the keychain store", () => {
  test("stores the key under the checksummed address, and the public key in a file", async () => {
    const keyring = createMemoryKeyringClient();
    const deps = testDeps({ keyring });
    const saved = await createKeychainStore(deps).save(keyPairFromPrivateKey(TEST_KEY));
    expect(saved.location).toContain(`account ${TEST_ADDRESS}`);
    expect(keyring.entries.get(TEST_ADDRESS)).toBe(TEST_KEY);
    expect(await createKeychainStore(deps).load(TEST_ADDRESS)).toBe(TEST_KEY);
  });

  test("an entry missing after a reboot gives the recovery steps", async () => {
    const error = await expectCode(() => createKeychainStore(testDeps()).load(TEST_ADDRESS), WalletErrors.KEYCHAIN_ENTRY_MISSING.code);
    expect(error.hint).toContain("wallet import --from-file");
  });

  test("a keychain that cannot be reached is not mistaken for a missing entry", async () => {
    const deps = testDeps({ keyring: createMemoryKeyringClient({ available: false }) });
    await expectCode(() => createKeychainStore(deps).load(TEST_ADDRESS), WalletErrors.KEYCHAIN_UNAVAILABLE.code);
    await expectCode(() => createKeychainStore(deps).remove(TEST_ADDRESS), WalletErrors.KEYCHAIN_UNAVAILABLE.code);
  });
});

describe("the keychain helper process", () => {
  test("a helper that never answers is killed at the deadline: the probe reports it, operations fail with a code", async () => {
    const started: number[] = [];
    // Stand-in for a keychain call stuck on D-Bus: a process that never writes an answer.
    const hang: SpawnFn = ((_command: string, _args: string[], options: object) => {
      const child = spawn("sleep", ["30"], options);
      started.push(child.pid!);
      return child;
    }) as unknown as SpawnFn;
    const client = createChildKeyringClient({ spawn: hang, env: process.env, probeTimeoutMs: 300, operationTimeoutMs: 300 });
    const begin = Date.now();
    const probe = await client.probe();
    expect(probe.ok).toBe(false);
    expect(probe.reason).toContain("did not answer");
    expect(Date.now() - begin).toBeLessThan(3000);
    await expectCode(() => client.get(TEST_ADDRESS), WalletErrors.KEYCHAIN_TIMEOUT.code);
    await Bun.sleep(50);
    for (const pid of started) expect(() => process.kill(pid, 0)).toThrow(); // gone
  });

  test("the helper answers one JSON request with one JSON response, and unknown requests are refused", () => {
    expect(handleKeyringRequest({ op: "nope" } as never)).toEqual({ ok: false, error: "unknown keyring operation" });
  });

  test("a helper that crashes is an operation error with the helper's message", async () => {
    const crash: SpawnFn = ((_command: string, _args: string[], options: object) =>
      spawn(process.execPath, ["-e", "console.error('boom: no keychain'); process.exit(3)"], options)) as unknown as SpawnFn;
    const client = createChildKeyringClient({ spawn: crash, env: process.env });
    const error = await expectCode(() => client.set(TEST_ADDRESS, TEST_KEY), WalletErrors.KEYCHAIN_FAILED.code);
    expect(error.message).toContain("boom: no keychain");
    expect(error.message).not.toContain(TEST_KEY);
  });
});
