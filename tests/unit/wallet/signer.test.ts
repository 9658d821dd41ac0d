import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { openHostWallet } from "../../../src/wallet/signer.ts";
import { writeKeystore } from "../../../src/wallet/keystore-store.ts";
import { keyPairFromPrivateKey } from "../../../src/wallet/keystore-crypto.ts";
import { createKeychainStore } from "../../../src/wallet/keychain-store.ts";
import { publicKeyPath, readPublicKeyFile } from "../../../src/wallet/keystore-file.ts";
import { createMemoryKeyringClient } from "../../../src/wallet/keyring-client.ts";
import { redact } from "../../../src/util/redact.ts";
import { scriptedPrompter } from "../../helpers/context.ts";
import { expectCode, secretFile, tempDir, testDeps, TEST_ADDRESS, TEST_KEY, TEST_PASSWORD } from "./wallet-fixtures.ts";
import { WalletErrors } from "../../../src/errors/codes/index.ts";

const pair = keyPairFromPrivateKey(TEST_KEY);
const ref = { address: TEST_ADDRESS, backend: "keystore" as const };

describe("openHostWallet", () => {
  test("address and compressed public key without any password; the key only on unlock, once", async () => {
    const asked: string[] = [];
    const prompter = { ...scriptedPrompter(), secret: async (message: string) => (asked.push(message), TEST_PASSWORD) };
    const deps = testDeps({ interactive: { stdin: true, stdout: true }, prompter });
    await writeKeystore(deps, pair, TEST_PASSWORD);
    const wallet = openHostWallet(deps, ref);
    expect(wallet.address).toBe(TEST_ADDRESS);
    expect(wallet.publicKey).toBe(pair.publicKey);
    expect(wallet.publicKey).toMatch(/^0x0[23][0-9a-f]{64}$/);
    expect(asked).toEqual([]);
    const signer = await wallet.unlock();
    expect(signer.address).toBe(TEST_ADDRESS);
    expect(await wallet.unlock()).toBe(signer);
    expect(asked.length).toBe(1);
    // Everything unlocked is known to the redactor.
    expect(redact(`key=${TEST_KEY.slice(2)} pw ${TEST_PASSWORD}`)).not.toMatch(new RegExp(`${TEST_KEY.slice(2)}|${TEST_PASSWORD}`));
  });

  test("without the .pub file the public key comes from the keystore's own field", async () => {
    const deps = testDeps();
    await writeKeystore(deps, pair, TEST_PASSWORD);
    rmSync(publicKeyPath(deps.keystoreDir, TEST_ADDRESS));
    expect(openHostWallet(deps, ref).publicKey).toBe(pair.publicKey);
  });

  test("a keychain wallet whose .pub file was lost recovers it on the first unlock", async () => {
    const keyring = createMemoryKeyringClient();
    const deps = testDeps({ keyring });
    await createKeychainStore(deps).save(pair);
    rmSync(publicKeyPath(deps.keystoreDir, TEST_ADDRESS));
    const wallet = openHostWallet(deps, { address: TEST_ADDRESS, backend: "keychain" });
    expect(wallet.publicKey).toBeNull();
    expect(await wallet.requirePublicKey()).toBe(pair.publicKey);
    expect(readPublicKeyFile(deps.keystoreDir, TEST_ADDRESS)).toBe(pair.publicKey);
  });

  test("no wallet configured, and a key that belongs to another address", async () => {
    await expectCode(() => openHostWallet(testDeps(), null), WalletErrors.NO_WALLET.code);
    const keyring = createMemoryKeyringClient();
    keyring.entries.set(TEST_ADDRESS, "0x" + "11".repeat(32));
    const wallet = openHostWallet(testDeps({ keyring }), { address: TEST_ADDRESS, backend: "keychain" });
    await expectCode(() => wallet.unlock(), WalletErrors.KEYSTORE_ADDRESS_MISMATCH.code);
  });

  test("a failed unlock can be retried", async () => {
    const deps = testDeps();
    await writeKeystore(deps, pair, TEST_PASSWORD);
    const dir = tempDir();
    const file = secretFile(dir, "pw", "Wrong-Password-123");
    const wallet = openHostWallet(deps, ref, { passwordFile: file });
    await expectCode(() => wallet.unlock(), WalletErrors.WRONG_PASSWORD.code);
    secretFile(dir, "pw", TEST_PASSWORD);
    expect((await wallet.unlock()).address).toBe(TEST_ADDRESS);
  });
});
