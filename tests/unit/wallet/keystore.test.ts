import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { decryptKeystoreJson } from "ethers";
import { createKeystoreStore, unlockKeystore, writeKeystore } from "../../../src/wallet/keystore-store.ts";
import { keystorePath, publicKeyPath } from "../../../src/wallet/keystore-file.ts";
import { keyPairFromPrivateKey } from "../../../src/wallet/keystore-crypto.ts";
import { resolvePasswordSource } from "../../../src/wallet/passwords.ts";
import { PRODUCTION_SCRYPT_N, scryptWorkFactor } from "../../../src/wallet/scrypt.ts";
import { scriptedPrompter } from "../../helpers/context.ts";
import { expectCode, OTHER_PASSWORD, secretFile, tempDir, testDeps, TEST_ADDRESS, TEST_KEY, TEST_PASSWORD } from "./wallet-fixtures.ts";
import { WalletErrors } from "../../../src/errors/codes/index.ts";

const key = () => keyPairFromPrivateKey(TEST_KEY);

async function storedKeystore(password = TEST_PASSWORD) {
  const deps = testDeps();
  const path = await writeKeystore(deps, key(), password);
  return { deps, path, passwordFile: secretFile(tempDir(), "pw", password) };
}

describe("scrypt work factor", () => {
  const saved = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = saved;
  });

  test("tests may lower N only under the test runner; production ignores the variable", () => {
    expect(scryptWorkFactor({ FABSTIR_TEST_SCRYPT_N: "1024" })).toBe(1024);
    expect(scryptWorkFactor({ FABSTIR_TEST_SCRYPT_N: "1000" })).toBe(PRODUCTION_SCRYPT_N); // not a power of two
    process.env.NODE_ENV = "production";
    expect(scryptWorkFactor({ FABSTIR_TEST_SCRYPT_N: "1024" })).toBe(PRODUCTION_SCRYPT_N);
    expect(PRODUCTION_SCRYPT_N).toBe(131072);
  });
});

describe("keystore files", () => {
  test("a standard v3 file (real scrypt), mode 0600 in a 0700 directory, plus the public key beside it", async () => {
    const { deps, path } = await storedKeystore();
    expect(path).toBe(keystorePath(deps.keystoreDir, TEST_ADDRESS));
    expect(path.endsWith(`${TEST_ADDRESS.toLowerCase()}.json`)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(deps.keystoreDir).mode & 0o777).toBe(0o700);
    const json = JSON.parse(readFileSync(path, "utf8"));
    expect(json.version).toBe(3);
    const crypto = json.Crypto ?? json.crypto; // ethers writes "Crypto", the standard allows either case
    expect(crypto.kdf).toBe("scrypt");
    expect(crypto.kdfparams.n).toBe(1024);
    expect(json["x-fabstir"].publicKey).toBe(key().publicKey);
    // Any standard tool can open it.
    expect((await decryptKeystoreJson(readFileSync(path, "utf8"), TEST_PASSWORD)).privateKey).toBe(TEST_KEY);
    expect(JSON.parse(readFileSync(publicKeyPath(deps.keystoreDir, TEST_ADDRESS), "utf8")).publicKey).toBe(key().publicKey);
    expect(readdirSync(deps.keystoreDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  test("unlocks with the right password from a file", async () => {
    const { deps, passwordFile } = await storedKeystore();
    const store = createKeystoreStore(deps, { passwordFile });
    expect(await store.load(TEST_ADDRESS)).toBe(TEST_KEY);
  });

  test("wrong password from a file: one attempt, a fixed pause, a clear error", async () => {
    const { deps } = await storedKeystore();
    const wrong = secretFile(tempDir(), "pw", OTHER_PASSWORD);
    const error = await expectCode(() => createKeystoreStore(deps, { passwordFile: wrong }).load(TEST_ADDRESS), WalletErrors.WRONG_PASSWORD.code);
    expect(error.message).toContain(wrong);
    expect(error.message).not.toContain(OTHER_PASSWORD);
    expect(deps.clock.sleeps).toEqual([1000]);
  });

  test("wrong password on a terminal: three attempts with a growing pause; the right one on the 2nd works", async () => {
    const answers = [OTHER_PASSWORD, TEST_PASSWORD];
    const prompter = { ...scriptedPrompter(), secret: async () => answers.shift()! };
    const { deps } = await storedKeystore();
    Object.assign(deps, { interactive: { stdin: true, stdout: true }, prompter });
    const { key: opened } = await unlockKeystore(deps, TEST_ADDRESS, resolvePasswordSource(deps, undefined));
    expect(opened.address).toBe(TEST_ADDRESS);
    expect(deps.clock.sleeps).toEqual([1000]);
    expect(deps.warnings.join("\n")).toContain("2 attempts left");

    const always = { ...scriptedPrompter(), secret: async () => OTHER_PASSWORD };
    Object.assign(deps, { prompter: always });
    deps.clock.sleeps.length = 0;
    await expectCode(() => unlockKeystore(deps, TEST_ADDRESS, resolvePasswordSource(deps, undefined)), WalletErrors.WRONG_PASSWORD.code);
    expect(deps.clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  test("missing, corrupt, truncated and foreign files each say what is wrong and how to recover", async () => {
    const { deps, path, passwordFile } = await storedKeystore();
    const store = createKeystoreStore(deps, { passwordFile });
    const text = readFileSync(path, "utf8");

    writeFileSync(path, text.slice(0, text.length / 2), { mode: 0o600 });
    const truncated = await expectCode(() => store.load(TEST_ADDRESS), WalletErrors.KEYSTORE_CORRUPT.code);
    expect(truncated.message).toContain("truncated");
    expect(truncated.hint).toContain("wallet import --from-file");

    writeFileSync(path, JSON.stringify({ version: 1, hello: "world" }), { mode: 0o600 });
    await expectCode(() => store.load(TEST_ADDRESS), WalletErrors.KEYSTORE_CORRUPT.code);

    const foreign = JSON.parse(text);
    foreign.address = "1111111111111111111111111111111111111111";
    writeFileSync(path, JSON.stringify(foreign), { mode: 0o600 });
    const mismatch = await expectCode(() => store.load(TEST_ADDRESS), WalletErrors.KEYSTORE_ADDRESS_MISMATCH.code);
    expect(mismatch.message).toContain("0x1111111111111111111111111111111111111111");

    const tampered = JSON.parse(text);
    (tampered.Crypto ?? tampered.crypto).ciphertext = "00".repeat(32);
    writeFileSync(path, JSON.stringify(tampered), { mode: 0o600 });
    await expectCode(() => store.load(TEST_ADDRESS), WalletErrors.WRONG_PASSWORD.code); // the MAC check cannot tell tampering from a wrong password

    const other = testDeps();
    const missing = await expectCode(() => createKeystoreStore(other, { passwordFile }).load(TEST_ADDRESS), WalletErrors.KEYSTORE_MISSING.code);
    expect(missing.hint).toContain("wallet import --from-file");
  });

  test("a keystore other users can read is refused, with the exact chmod", async () => {
    const { deps, path, passwordFile } = await storedKeystore();
    chmodSync(path, 0o644);
    const error = await expectCode(() => createKeystoreStore(deps, { passwordFile }).load(TEST_ADDRESS), WalletErrors.KEYSTORE_PERMISSIONS.code);
    expect(error.hint).toBe(`Try: chmod 600 ${path}`);
    chmodSync(path, 0o600);
    expect(await createKeystoreStore(deps, { passwordFile }).load(TEST_ADDRESS)).toBe(TEST_KEY);
  });

  test("an unreadable keystore path gives the chown/chmod to run", async () => {
    const deps = testDeps();
    mkdirSync(keystorePath(deps.keystoreDir, TEST_ADDRESS), { recursive: true, mode: 0o700 }); // a directory cannot be read as a file, even by root
    const error = await expectCode(() => createKeystoreStore(deps, { passwordFile: "/dev/null" }).load(TEST_ADDRESS), WalletErrors.KEYSTORE_UNREADABLE.code);
    expect(error.hint).toContain("chmod 600");
  });

  test("re-encrypting replaces the file by rename: readers see the old file or the new one", async () => {
    const { deps, path } = await storedKeystore();
    const before = statSync(path).ino;
    await writeKeystore(deps, key(), OTHER_PASSWORD);
    expect(statSync(path).ino).not.toBe(before);
    expect((await decryptKeystoreJson(readFileSync(path, "utf8"), OTHER_PASSWORD)).address).toBe(TEST_ADDRESS);
    expect(readdirSync(deps.keystoreDir).sort()).toEqual([`${TEST_ADDRESS.toLowerCase()}.json`, `${TEST_ADDRESS.toLowerCase()}.pub`]);
  });

  test("remove deletes the keystore and its public key file", async () => {
    const { deps } = await storedKeystore();
    expect(await createKeystoreStore(deps).remove(TEST_ADDRESS)).toBe(true);
    expect(readdirSync(deps.keystoreDir)).toEqual([]);
    expect(await createKeystoreStore(deps).remove(TEST_ADDRESS)).toBe(false);
  });
});
