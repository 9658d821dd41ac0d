/**
 * The SDK's end-to-end encryption as scripts/devnet/sdk-crypto implements it, checked against the algorithm as the
 * sources write it: fabstir-llm-sdk@ae342d6 packages/sdk-core/src/crypto/{encryption,utilities,recovery}.ts and
 * src/managers/EncryptionManager.ts (client), fabstir-llm-node@85a87b8 src/crypto/{ecdh,encryption,session_init,
 * signature}.rs and src/api/server.rs (node).
 */
import { describe, expect, test } from "bun:test";
import { xchacha20poly1305 } from "@noble/ciphers/chacha";
import { SigningKey, Wallet, concat, sha256, toUtf8Bytes } from "ethers";
import { hkdfSync } from "node:crypto";
import {
  FINAL_RESPONSE_AAD,
  chunkAad,
  messageAad,
  openSessionInit,
  openWithSessionKey,
  publicKeyOf,
  sdkSenderAddress,
  sealSessionInit,
  sealWithSessionKey,
} from "../../scripts/devnet/sdk-crypto/index.ts";

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/^0x/, ""), "hex"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const filled = (length: number, byte: number) => Uint8Array.from(Buffer.alloc(length, byte));

const HOST_KEY = `0x${"a1".repeat(32)}`;
const CLIENT_KEY = `0x${"b2".repeat(32)}`;
const HOST_PUB = "03ab5d2e79cfd621b1b027ffb24e2453ed7fb571ba9a841ff0e2473466cabd168d";

/** A fixed init: every random input (ephemeral key, nonce, session key) pinned, so the bytes are fixed too. */
const FIXED = {
  fields: { jobId: 42n, modelName: `0x${"cd".repeat(32)}`, pricePerToken: 5000 },
  options: { ephemeralPrivateKey: filled(32, 0xc3), nonce: filled(24, 0x0d), sessionKey: filled(32, 0x5e) },
  ephPubHex: "02438a4f623099e7c238970a8481b03d449fd45cc2c2185e739b28f28ce5342bb3",
  ciphertextHex:
    "3447bb7ba309c9bfc99eb0fdc5181f336e7b74e9f7e476b1fa4b468c8e65be7c791c3bdd6bb8cbe3ec82d78c53d27179629ca0ba278217118c18fe755c137c36f6720dc6adf7af1ca03c10cf9e58269e14b6be55ebb14c57ca71f1bdbeb412b97881006efb4493d23a73b07c7e70f359d4cde11b41c5f9fb092b3b9e668c5e689289746da52a2fa5af1402ef6482fb50563e97a52a283ae3ebec9127a75c0a7e91dc3f291ff52b0cb47abfbf501e75304c2ef3858b1053cdb349662f9a0b7632524aa148e493a701170148b9fb7ff802c64bb7f4336777b3b83224f731bdb572b9997f2a1ca1f1a0ac4aa53416ea16512837bf39964cfe0a71fab0562223e70cf5105cabf2660032b6e3d80a6b502cf4cc54ff0290ba586589d7558c1ec43515ff0701eb0a371127792fb1b1d8e183",
  signatureHex: "5b398e49a7df1d2044942a55b38406fe2567a284d5b5a19fd1f5ed101b3ab7f9087a5888b64e5f7de1ed29eda4213734e06d6b8f23149c3dfa1dff5c3310ba3f00",
};

const fixedInit = () => sealSessionInit(HOST_PUB, CLIENT_KEY, FIXED.fields, FIXED.options);

describe("the AEAD", () => {
  test("XChaCha20-Poly1305 gives the published test vector (draft-irtf-cfrg-xchacha-03 A.3.1), as the node's chacha20poly1305 crate does", () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    const nonce = Uint8Array.from({ length: 24 }, (_, i) => 0x40 + i);
    const plaintext = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    const sealed = xchacha20poly1305(key, nonce, bytes("50515253c0c1c2c3c4c5c6c7")).encrypt(toUtf8Bytes(plaintext));
    expect(hex(sealed)).toBe(
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e" +
        "c0875924c1c7987947deafd8780acf49",
    );
  });
});

describe("encrypted_session_init, fixed vector", () => {
  test("the host's published key is its compressed public key (33 bytes)", () => {
    expect(publicKeyOf(HOST_KEY)).toBe(HOST_PUB);
    expect(new SigningKey(HOST_KEY).compressedPublicKey).toBe(`0x${HOST_PUB}`);
  });

  test("same inputs, same bytes: ephemeral key, ciphertext and signature", () => {
    const { payload, sessionKey } = fixedInit();
    expect(payload).toEqual({
      ephPubHex: FIXED.ephPubHex,
      saltHex: "00".repeat(32), // encryption.ts:77: zeros, the node's HKDF salt None
      nonceHex: "0d".repeat(24),
      ciphertextHex: FIXED.ciphertextHex,
      signatureHex: FIXED.signatureHex,
      recid: 0,
      alg: "secp256k1-ecdh(ephemeral→static)+hkdf(sha256)+xchacha20-poly1305", // encryption.ts:60
      info: "", // encryption.ts:63: empty HKDF info, as the node uses (ecdh.rs:76)
      aadHex: "", // encryption.ts:83
    });
    expect(hex(sessionKey)).toBe("5e".repeat(32));
  });

  test("the vector re-derived step by step with other implementations (ethers, node:crypto)", () => {
    const eph = new SigningKey(hex(FIXED.options.ephemeralPrivateKey).replace(/^/, "0x"));
    expect(eph.compressedPublicKey).toBe(`0x${FIXED.ephPubHex}`);
    // ECDH x coordinate → HKDF-SHA256(salt 32 zeros, info empty) (encryption.ts:72-78; ecdh.rs:68-77).
    const shared = bytes(eph.computeSharedSecret(`0x${HOST_PUB}`)).slice(1, 33);
    const key = new Uint8Array(hkdfSync("sha256", shared, new Uint8Array(32), new Uint8Array(0), 32));
    const plaintext = new TextDecoder().decode(xchacha20poly1305(key, FIXED.options.nonce, new Uint8Array(0)).decrypt(bytes(FIXED.ciphertextHex)));
    // The SDK's field order and types (SessionManager.ts:2094-2101): jobId a string, pricePerToken a number.
    const clientPub = new SigningKey(CLIENT_KEY).compressedPublicKey;
    expect(plaintext).toBe(
      `{"sessionKey":"${"5e".repeat(32)}","jobId":"42","modelName":"0x${"cd".repeat(32)}","pricePerToken":5000,"recoveryPublicKey":"${clientPub}"}`,
    );
    // sha256("E2EEv1|" eph "|" host "|" salt "|" nonce "|" info) with no AAD part (utilities.ts:139-175), signed by
    // the client, low-s RFC 6979, r ‖ s ‖ recovery id (encryption.ts:96-107).
    const bar = toUtf8Bytes("|");
    const digest = sha256(
      concat([toUtf8Bytes("E2EEv1|"), `0x${FIXED.ephPubHex}`, bar, `0x${HOST_PUB}`, bar, new Uint8Array(32), bar, FIXED.options.nonce, bar, new Uint8Array(0)]),
    );
    const signature = new SigningKey(CLIENT_KEY).sign(digest);
    expect(FIXED.signatureHex).toBe(`${signature.r.slice(2)}${signature.s.slice(2)}0${signature.yParity}`);
  });

  test("the node learns the job id, session key, price and recovery key; the SDK's recovery names the client", () => {
    const opened = openSessionInit(fixedInit().payload, HOST_KEY);
    expect(opened).toMatchObject({
      jobId: "42",
      modelName: `0x${"cd".repeat(32)}`,
      pricePerToken: 5000,
      recoveryPublicKey: new SigningKey(CLIENT_KEY).compressedPublicKey,
    });
    expect(hex(opened.sessionKey)).toBe("5e".repeat(32));
    const client = new Wallet(CLIENT_KEY).address;
    expect(sdkSenderAddress(fixedInit().payload, HOST_PUB)).toBe(client);
    // The node recovers against sha256(ciphertext) (session_init.rs:157-161), not the digest the SDK signed: it gets
    // some other address, which it only echoes in the ack. Pinned so a change on either side shows here.
    expect(opened.clientAddress).toMatch(/^0x[0-9a-f]{40}$/);
    expect(opened.clientAddress).not.toBe(client.toLowerCase());
  });
});

describe("round trips", () => {
  test("a random init opens with the host key and carries a fresh session key each time", () => {
    const first = sealSessionInit(HOST_PUB, CLIENT_KEY, { jobId: "123456789012345678901234567890", modelName: "m", pricePerToken: 2_000_000n });
    const second = sealSessionInit(`0x${HOST_PUB}`, CLIENT_KEY, { jobId: 1n, modelName: "m", pricePerToken: 1 });
    expect(first.payload.ephPubHex).not.toBe(second.payload.ephPubHex);
    expect(hex(first.sessionKey)).not.toBe(hex(second.sessionKey));
    const opened = openSessionInit(first.payload, HOST_KEY);
    expect(opened.jobId).toBe("123456789012345678901234567890");
    expect(opened.pricePerToken).toBe(2_000_000);
    expect(hex(opened.sessionKey)).toBe(hex(first.sessionKey));
  });

  test("messages, chunks and the final response under the session key, each with its AAD", () => {
    const key = filled(32, 0x5e);
    const message = sealWithSessionKey(key, JSON.stringify({ prompt: "Hi", stream: true }), messageAad(0));
    expect(openWithSessionKey(key, message)).toEqual({ text: '{"prompt":"Hi","stream":true}', aad: "message_0" });
    const chunk = sealWithSessionKey(key, " The host", chunkAad(3));
    expect(openWithSessionKey(key, chunk)).toEqual({ text: " The host", aad: "chunk_3" });
    const final = sealWithSessionKey(key, "stop", FINAL_RESPONSE_AAD);
    expect(openWithSessionKey(key, final)).toEqual({ text: "stop", aad: "encrypted_response_final" });
    expect(message.nonceHex).not.toBe(sealWithSessionKey(key, "x", messageAad(0)).nonceHex);
  });

  test("a fixed chunk: same key, nonce and AAD, same bytes", () => {
    expect(sealWithSessionKey(filled(32, 0x5e), "Hello", chunkAad(0), filled(24, 7))).toEqual({
      ciphertextHex: "8ba4dfee15b9e9ab3eea43f1b8933a69394b2cdf09",
      nonceHex: "07".repeat(24),
      aadHex: hex(toUtf8Bytes("chunk_0")),
    });
  });
});

describe("tampering refused", () => {
  const flip = (hexText: string, at: number) =>
    hexText.slice(0, at * 2) + (parseInt(hexText.slice(at * 2, at * 2 + 2), 16) ^ 1).toString(16).padStart(2, "0") + hexText.slice(at * 2 + 2);

  test("a changed ciphertext, nonce or AAD, another host's key", () => {
    const { payload } = fixedInit();
    expect(() => openSessionInit({ ...payload, ciphertextHex: flip(payload.ciphertextHex, 5) }, HOST_KEY)).toThrow(/authentication/);
    expect(() => openSessionInit({ ...payload, nonceHex: flip(payload.nonceHex, 0) }, HOST_KEY)).toThrow(/authentication/);
    expect(() => openSessionInit({ ...payload, aadHex: "00" }, HOST_KEY)).toThrow(/authentication/);
    expect(() => openSessionInit(payload, `0x${"a2".repeat(32)}`)).toThrow(/authentication/);
  });

  test("sizes the node checks before anything else (session_init.rs:85-109)", () => {
    const { payload } = fixedInit();
    expect(() => openSessionInit({ ...payload, nonceHex: "00".repeat(12) }, HOST_KEY)).toThrow("Invalid nonce size: expected 24 bytes, got 12");
    expect(() => openSessionInit({ ...payload, signatureHex: payload.signatureHex.slice(0, 128) }, HOST_KEY)).toThrow(
      "Invalid signature size: expected 65 bytes, got 64",
    );
    expect(() => openSessionInit({ ...payload, ephPubHex: "" }, HOST_KEY)).toThrow("Ephemeral public key is empty");
    expect(() => openSessionInit({ ...payload, ciphertextHex: "zz" }, HOST_KEY)).toThrow(/not valid hex/);
  });

  test("a recovery id written Ethereum-style (27/28) is read as 0/1, one above 3 is refused (signature.rs:70-82)", () => {
    const { payload } = fixedInit();
    const base = openSessionInit(payload, HOST_KEY).clientAddress;
    expect(openSessionInit({ ...payload, signatureHex: `${payload.signatureHex.slice(0, 128)}1b` }, HOST_KEY).clientAddress).toBe(base);
    expect(() => openSessionInit({ ...payload, signatureHex: `${payload.signatureHex.slice(0, 128)}04` }, HOST_KEY)).toThrow(/Invalid recovery ID/);
  });

  test("a message under another key, or with its AAD, nonce or ciphertext changed, does not open", () => {
    const key = filled(32, 0x5e);
    const sealed = sealWithSessionKey(key, "secret", chunkAad(1));
    expect(() => openWithSessionKey(filled(32, 0x5f), sealed)).toThrow();
    expect(() => openWithSessionKey(key, { ...sealed, aadHex: hex(toUtf8Bytes("chunk_2")) })).toThrow();
    expect(() => openWithSessionKey(key, { ...sealed, nonceHex: flip(sealed.nonceHex, 3) })).toThrow();
    expect(() => openWithSessionKey(key, { ...sealed, ciphertextHex: flip(sealed.ciphertextHex, 0) })).toThrow();
    expect(() => openWithSessionKey(key, { ...sealed, nonceHex: "00".repeat(12) })).toThrow("Invalid nonce size: expected 24 bytes, got 12");
  });

  test("an init whose JSON the node cannot read as its SessionDataJson is refused", () => {
    const bad = sealSessionInit(HOST_PUB, CLIENT_KEY, { jobId: 1n, modelName: "m", pricePerToken: 1 }, { sessionKey: filled(16, 1) });
    expect(() => openSessionInit(bad.payload, HOST_KEY)).toThrow("Invalid session key length: expected 32 bytes, got 16");
    expect(() => sealSessionInit(HOST_PUB, CLIENT_KEY, { jobId: 1n, modelName: "m", pricePerToken: 2n ** 64n })).toThrow(/pricePerToken/);
  });
});
