import { afterAll, describe, expect, test } from "bun:test";
import { forgetSecrets } from "../../../src/util/redact.ts";
import { parseKeyMaterial, parseMnemonic, parsePrivateKey } from "../../../src/wallet/key-input.ts";
import { expectCode, TEST_ADDRESS, TEST_KEY, TEST_MNEMONIC, TEST_MNEMONIC_ADDRESS } from "./wallet-fixtures.ts";
import { WalletErrors } from "../../../src/errors/codes/index.ts";

// Rejected inputs are registered as secrets (a mistyped key is still a key): an address used as a bad key here
// would otherwise be masked in the output of later test files that run in this process.
afterAll(() => forgetSecrets());

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const hex64 = (value: bigint) => `0x${value.toString(16).padStart(64, "0")}`;

describe("private keys", () => {
  test("accepts 64 hex characters with or without 0x, in any case, with surrounding whitespace", () => {
    expect(parsePrivateKey(TEST_KEY).address).toBe(TEST_ADDRESS);
    expect(parsePrivateKey(`  ${TEST_KEY.slice(2).toUpperCase()}\n`).address).toBe(TEST_ADDRESS);
  });

  test("gives the compressed public key (0x + 33 bytes)", () => {
    expect(parsePrivateKey(TEST_KEY).publicKey).toMatch(/^0x0[23][0-9a-f]{64}$/);
  });

  test("wrong length, non-hex and out-of-range values each have their own code and never echo the input", async () => {
    const short = await expectCode(() => parsePrivateKey(TEST_KEY.slice(0, 60)), WalletErrors.PRIVATE_KEY_LENGTH.code);
    expect(short.message).toContain("58 hexadecimal characters");
    expect(short.message).not.toContain(TEST_KEY.slice(2, 60));
    const address = await expectCode(() => parsePrivateKey(TEST_ADDRESS), WalletErrors.PRIVATE_KEY_LENGTH.code);
    expect(address.hint).toContain("address");
    const notHex = await expectCode(() => parsePrivateKey(TEST_KEY.slice(0, 65) + "z"), WalletErrors.PRIVATE_KEY_NOT_HEX.code);
    expect(notHex.message).not.toContain(TEST_KEY.slice(2, 60));
    await expectCode(() => parsePrivateKey(hex64(0n)), WalletErrors.PRIVATE_KEY_RANGE.code);
    await expectCode(() => parsePrivateKey(hex64(N)), WalletErrors.PRIVATE_KEY_RANGE.code);
    await expectCode(() => parsePrivateKey(hex64(N + 1n)), WalletErrors.PRIVATE_KEY_RANGE.code);
    expect(parsePrivateKey(hex64(N - 1n)).address).toMatch(/^0x[0-9a-fA-F]{40}$/);
  });
});

describe("mnemonics", () => {
  test("derives the default path m/44'/60'/0'/0/0, normalising case and spaces", () => {
    expect(parseMnemonic(TEST_MNEMONIC).address).toBe(TEST_MNEMONIC_ADDRESS);
    expect(parseMnemonic(`  ${TEST_MNEMONIC.toUpperCase().replace(/ /g, "   ")}\n`).address).toBe(TEST_MNEMONIC_ADDRESS);
  });

  test("another path gives another account", () => {
    const second = parseMnemonic(TEST_MNEMONIC, "m/44'/60'/0'/0/1");
    expect(second.address).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    expect(second.path).toBe("m/44'/60'/0'/0/1");
  });

  test("word count, unknown words, checksum and path errors", async () => {
    const count = await expectCode(() => parseMnemonic("test test test test test test test test test test test"), WalletErrors.MNEMONIC_WORDS.code);
    expect(count.message).toContain("11 words");
    const unknown = await expectCode(() => parseMnemonic(TEST_MNEMONIC.replace("junk", "junkk")), WalletErrors.MNEMONIC_WORDS.code);
    expect(unknown.message).toContain("word 12");
    expect(unknown.message).not.toContain("junkk");
    await expectCode(() => parseMnemonic("junk test test test test test test test test test test test"), WalletErrors.MNEMONIC_CHECKSUM.code);
    await expectCode(() => parseMnemonic(TEST_MNEMONIC, "44/60/0"), WalletErrors.DERIVATION_PATH.code);
  });
});

describe("guessing the kind", () => {
  test("several words are a mnemonic, one token is a key; --mnemonic forces it", async () => {
    expect(parseKeyMaterial(TEST_MNEMONIC)).toMatchObject({ kind: "mnemonic", address: TEST_MNEMONIC_ADDRESS });
    expect(parseKeyMaterial(TEST_KEY)).toMatchObject({ kind: "private-key", address: TEST_ADDRESS });
    await expectCode(() => parseKeyMaterial(TEST_KEY, { kind: "mnemonic" }), WalletErrors.MNEMONIC_WORDS.code);
    await expectCode(() => parseKeyMaterial("   "), WalletErrors.KEY_INPUT.code);
  });
});
