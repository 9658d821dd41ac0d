/**
 * Turning what a person pasted into a key: a private key (64 hex characters, 0x optional) or a BIP-39 recovery
 * phrase plus a derivation path. Every failure names what is wrong without repeating the secret.
 */
import { HDNodeWallet, Mnemonic, wordlists } from "ethers";
import { HostError } from "../errors/host-error.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import { registerSecret } from "../util/redact.ts";
import { keyPairFromPrivateKey, type KeyPair } from "./keystore-crypto.ts";
import { DEFAULT_DERIVATION_PATH } from "./types.ts";

export type KeyKind = "private-key" | "mnemonic";

/** The order n of the secp256k1 group: a private key must be in [1, n-1]. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const MNEMONIC_LENGTHS = [12, 15, 18, 21, 24];

export function looksLikeMnemonic(input: string): boolean {
  return input.trim().split(/\s+/).length >= 2;
}

export function parsePrivateKey(input: string): KeyPair {
  const text = input.trim();
  registerSecret(text);
  const hex = text.replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]*$/.test(hex)) {
    throw new HostError(WalletErrors.PRIVATE_KEY_NOT_HEX, "The private key has characters that are not hexadecimal (0-9, a-f).", {
      hint: "Try: paste the 64 hexadecimal characters only, or pass --mnemonic to import a recovery phrase.",
    });
  }
  if (hex.length !== 64) {
    throw new HostError(WalletErrors.PRIVATE_KEY_LENGTH, `The private key has ${hex.length} hexadecimal characters; a private key has exactly 64.`, {
      hint: "Try: copy the key again, whole; a 40-character value is an address, not a key.",
    });
  }
  const value = BigInt(`0x${hex}`);
  if (value === 0n || value >= SECP256K1_N) {
    throw new HostError(WalletErrors.PRIVATE_KEY_RANGE, "The value is not a valid secp256k1 private key (it is zero or not below the curve order).", {
      hint: "Try: check that this is really a private key and not a hash.",
    });
  }
  return keyPairFromPrivateKey(`0x${hex.toLowerCase()}`);
}

export function validateDerivationPath(path: string): string {
  if (!/^m(\/\d+'?)+$/.test(path.trim())) {
    throw new HostError(WalletErrors.DERIVATION_PATH, `\`${path}\` is not a derivation path.`);
  }
  return path.trim();
}

export function normalizeMnemonic(input: string): string {
  return input.trim().toLowerCase().split(/\s+/).join(" ");
}

export function parseMnemonic(input: string, path = DEFAULT_DERIVATION_PATH): KeyPair & { path: string } {
  registerSecret(input.trim());
  const phrase = normalizeMnemonic(input);
  registerSecret(phrase);
  const words = phrase.split(" ");
  if (!MNEMONIC_LENGTHS.includes(words.length)) {
    throw new HostError(WalletErrors.MNEMONIC_WORDS, `The recovery phrase has ${words.length} words; BIP-39 phrases have 12, 15, 18, 21 or 24.`);
  }
  const list = wordlists.en!;
  const unknown = words.map((word, index) => (list.getWordIndex(word) < 0 ? index + 1 : 0)).filter((position) => position > 0);
  if (unknown.length > 0) {
    const which = unknown.length === 1 ? `word ${unknown[0]} is` : `words ${unknown.join(", ")} are`;
    throw new HostError(WalletErrors.MNEMONIC_WORDS, `In the recovery phrase, ${which} not in the BIP-39 English word list.`, {
      hint: "Try: check the spelling of that word against your written copy.",
    });
  }
  if (!Mnemonic.isValidMnemonic(phrase)) {
    throw new HostError(WalletErrors.MNEMONIC_CHECKSUM, "The recovery phrase's checksum does not match: a word is wrong or two words are swapped.", {
      hint: "Try: compare the phrase with your written copy, word by word and in order.",
    });
  }
  const validPath = validateDerivationPath(path);
  const wallet = HDNodeWallet.fromPhrase(phrase, undefined, validPath);
  return { ...keyPairFromPrivateKey(wallet.privateKey), path: validPath };
}

/** Parses either kind; `kind` forces one, otherwise several words mean a mnemonic. */
export function parseKeyMaterial(input: string, options: { kind?: KeyKind; path?: string } = {}): KeyPair & { kind: KeyKind; path?: string } {
  if (input.trim() === "") throw new HostError(WalletErrors.KEY_INPUT, "No key material was given (the input is empty).");
  const kind = options.kind ?? (looksLikeMnemonic(input) ? "mnemonic" : "private-key");
  if (kind === "mnemonic") return { ...parseMnemonic(input, options.path), kind };
  if (options.path !== undefined) validateDerivationPath(options.path);
  return { ...parsePrivateKey(input), kind };
}
