/**
 * Encrypting and decrypting one key as Web3 Secret Storage v3 JSON (ethers), with our errors. Only the private key
 * goes in (never the mnemonic): a keystore or a backup restores the host key, nothing more. The compressed public
 * key rides along in an `x-fabstir` field so a restored file still knows it without a password.
 */
import { decryptKeystoreJson, encryptKeystoreJson, SigningKey, computeAddress } from "ethers";
import { HostError } from "../errors/host-error.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import { registerSecret } from "../util/redact.ts";
import { scryptWorkFactor, useNativeScrypt } from "./scrypt.ts";
import { keystoreAddress, parseKeystoreText } from "./keystore-file.ts";

export interface KeyPair {
  address: string;
  privateKey: string;
  /** Compressed secp256k1 public key: 0x + 33 bytes. */
  publicKey: string;
}

export function keyPairFromPrivateKey(privateKey: string): KeyPair {
  registerSecret(privateKey);
  const signingKey = new SigningKey(privateKey);
  return { address: computeAddress(signingKey.publicKey), privateKey: signingKey.privateKey, publicKey: signingKey.compressedPublicKey };
}

export async function encryptKey(key: KeyPair, password: string, env?: Record<string, string | undefined>): Promise<string> {
  useNativeScrypt();
  registerSecret(password);
  const text = await encryptKeystoreJson({ address: key.address, privateKey: key.privateKey }, password, {
    scrypt: { N: scryptWorkFactor(env) },
  });
  const json = JSON.parse(text) as Record<string, unknown>;
  json["x-fabstir"] = { publicKey: key.publicKey };
  return JSON.stringify(json, null, 2) + "\n";
}

export class WrongPasswordError extends Error {}

/**
 * Decrypts keystore text. Throws WrongPasswordError for a wrong password (callers decide about retries) and coded
 * errors for damaged files.
 */
export async function decryptKey(text: string, password: string, where: string): Promise<KeyPair> {
  useNativeScrypt();
  registerSecret(password);
  const json = parseKeystoreText(text, where);
  let account;
  try {
    account = await decryptKeystoreJson(text, password);
  } catch (error) {
    const message = (error as Error).message ?? "";
    if (/incorrect password/i.test(message)) throw new WrongPasswordError("incorrect password");
    if (/address/i.test(message) && /mismatch/i.test(message)) {
      throw new HostError(WalletErrors.KEYSTORE_ADDRESS_MISMATCH, `${where} claims address ${keystoreAddress(json)} but holds another key; it was altered.`, {
        cause: error,
      });
    }
    throw new HostError(WalletErrors.KEYSTORE_CORRUPT, `${where} cannot be decrypted: ${message.split(" (")[0]}.`, {
      hint: "Try: fabstir-host wallet import --from-file <backup.json> to restore it from your backup.",
      cause: error,
    });
  }
  registerSecret(account.privateKey);
  return keyPairFromPrivateKey(account.privateKey);
}
