/**
 * Creating and importing the host key. Both return the wallet reference for the caller to save in the configuration
 * (`{ address, backend }`), plus what the person should be told. Nothing here prints a secret except through
 * `deps.reveal` when the mnemonic is shown once on a terminal.
 */
import { Warnings } from "../errors/codes/warnings.ts";
import { Wallet, isKeystoreJson } from "ethers";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import { registerSecret } from "../util/redact.ts";
import { DEFAULT_DERIVATION_PATH, type WalletBackend, type WalletDeps, type WalletRef } from "./types.ts";
import { chooseBackend } from "./choose-backend.ts";
import { openSecretStore } from "./secret-store.ts";
import { keyPairFromPrivateKey, type KeyPair } from "./keystore-crypto.ts";
import { decryptWithRetries } from "./keystore-store.ts";
import { resolvePasswordSource } from "./passwords.ts";
import { checkPasswordStrength } from "./password-strength.ts";
import { parseKeyMaterial, type KeyKind } from "./key-input.ts";
import { showAndConfirmMnemonic } from "./mnemonic-display.ts";
import { readableByOthers, readSecretFile, readSecretStream } from "./secret-files.ts";

export interface StoreTargetOptions {
  /** The wallet in the configuration now, if any. */
  existing: WalletRef | null;
  /** --backend; otherwise the keychain when it works, else a keystore file. */
  backend?: WalletBackend;
  /** --password-file (the new keystore's password; when importing a backup file, that file's password). */
  passwordFile?: string;
  /** --yes / --force: replace a configured key without asking. */
  replace?: boolean;
}

export interface StoredWallet extends WalletRef {
  publicKey: string;
  /** Where the key went, in words (keychain service/account, or the keystore file path). */
  location: string;
}

export interface CreatedWallet extends StoredWallet {
  derivationPath: string;
  /** Returned only with showMnemonic, for the caller to print deliberately. */
  mnemonic?: string;
  /** What happened to the recovery phrase: confirmed on a terminal, returned for printing, or never shown. */
  recoveryPhrase: "confirmed" | "returned" | "not-shown";
}

/** Asks before a configured key is replaced by another one; the same key again (a restore) needs no question. */
export async function confirmReplace(deps: WalletDeps, existing: WalletRef | null, replace: boolean | undefined, incoming?: string): Promise<void> {
  if (!existing || replace) return;
  if (incoming && incoming.toLowerCase() === existing.address.toLowerCase()) return;
  if (!deps.interactive.stdin) {
    throw new HostError(WalletErrors.WALLET_EXISTS, `A host key is already configured (${existing.address}).`, {
      hint: "Try: fabstir-host wallet backup <file> first, then run again with --yes to replace it.",
    });
  }
  const ok = await deps.prompter.confirm(
    `A host key is already configured (${existing.address}). Replace it? Make sure it is backed up; its funds stay with it.`,
    { default: false },
  );
  if (!ok) throw new HostError(CoreErrors.CANCELLED, "Cancelled; the configured key is unchanged.");
}

async function storeKey(deps: WalletDeps, key: KeyPair, backend: WalletBackend, newPassword: string | undefined): Promise<StoredWallet> {
  const saved = await openSecretStore(deps, backend, { newPassword }).save(key);
  if (saved.note) deps.warn(saved.note);
  deps.logger.info("host key stored", { address: key.address, backend });
  return { address: key.address, backend, publicKey: key.publicKey, location: saved.location };
}

async function pickBackend(deps: WalletDeps, forced: WalletBackend | undefined): Promise<WalletBackend> {
  const choice = await chooseBackend(deps, forced);
  if (choice.explanation) deps.note(choice.explanation);
  return choice.backend;
}

export async function createWallet(deps: WalletDeps, options: StoreTargetOptions & { showMnemonic?: boolean }): Promise<CreatedWallet> {
  await confirmReplace(deps, options.existing, options.replace);
  const backend = await pickBackend(deps, options.backend);
  // Ask for the password before generating anything, so a weak one fails before words are shown.
  const newPassword = backend === "keystore" ? await resolvePasswordSource(deps, options.passwordFile).fresh() : undefined;
  const wallet = Wallet.createRandom(); // BIP-39, 128 bits of entropy, path m/44'/60'/0'/0/0
  const phrase = wallet.mnemonic!.phrase;
  registerSecret(phrase);
  registerSecret(wallet.privateKey);
  const key = keyPairFromPrivateKey(wallet.privateKey);

  let recoveryPhrase: CreatedWallet["recoveryPhrase"] = "not-shown";
  if (options.showMnemonic) recoveryPhrase = "returned";
  else if (deps.interactive.stdin && deps.interactive.stdout) {
    await showAndConfirmMnemonic(deps, phrase, key.address);
    recoveryPhrase = "confirmed";
  } else {
    deps.note("The recovery phrase was not shown (no terminal). Keep an encrypted backup: fabstir-host wallet backup <file>.");
  }
  const stored = await storeKey(deps, key, backend, newPassword);
  return { ...stored, derivationPath: DEFAULT_DERIVATION_PATH, recoveryPhrase, ...(recoveryPhrase === "returned" ? { mnemonic: phrase } : {}) };
}

export interface ImportWalletOptions extends StoreTargetOptions {
  /** --stdin: read the key or phrase from standard input. */
  stdin?: boolean;
  /** --from-file: a file with the key, the phrase, or a keystore/backup JSON. */
  fromFile?: string;
  /** --mnemonic / --private-key: force how the input is read; otherwise guessed. */
  kind?: KeyKind;
  /** --path for a mnemonic (default m/44'/60'/0'/0/0). */
  path?: string;
}

export interface ImportedWallet extends StoredWallet {
  source: KeyKind | "keystore-file";
  derivationPath?: string;
}

async function readKeyInput(deps: WalletDeps, options: ImportWalletOptions): Promise<string> {
  if (options.stdin && options.fromFile) {
    throw new HostError(WalletErrors.KEY_INPUT, "Give the key either on stdin (--stdin) or in a file (--from-file), not both.");
  }
  if (options.fromFile) {
    const result = readSecretFile(options.fromFile);
    if (!result.ok) throw new HostError(WalletErrors.KEY_INPUT, `Cannot read the key from ${options.fromFile}: ${result.reason}.`);
    if (readableByOthers(options.fromFile))
      deps.warning(Warnings.SECRET_FILE_READABLE, `${options.fromFile} can be read by other users; delete it or run: chmod 600 ${options.fromFile}`);
    return result.value;
  }
  if (options.stdin) {
    const value = await readSecretStream(deps.stdin);
    if (value === "")
      throw new HostError(WalletErrors.KEY_INPUT, "Nothing was read from stdin.", {
        hint: "Try: pipe the key or phrase in, e.g. `fabstir-host wallet import --stdin < key.txt`.",
      });
    return value;
  }
  if (!deps.interactive.stdin) {
    throw new HostError(CoreErrors.NOT_INTERACTIVE, "The key to import is needed and there is no terminal to ask it on.", {
      hint: "Try: --stdin (pipe it in) or --from-file <path>; a key is never accepted on the command line.",
    });
  }
  const label = options.kind === "mnemonic" ? "Recovery phrase" : options.kind === "private-key" ? "Private key" : "Private key or recovery phrase";
  const value = await deps.prompter.secret(label);
  registerSecret(value);
  return value;
}

export async function importWallet(deps: WalletDeps, options: ImportWalletOptions): Promise<ImportedWallet> {
  const input = await readKeyInput(deps, options);
  let key: KeyPair;
  let source: ImportedWallet["source"];
  let derivationPath: string | undefined;
  let reusablePassword: string | undefined;
  if (input.trimStart().startsWith("{") && isKeystoreJson(input)) {
    const where = options.fromFile ?? "the keystore on stdin";
    const opened = await decryptWithRetries(
      deps,
      { text: input, path: where },
      resolvePasswordSource(deps, options.passwordFile),
      undefined,
      "Password of the backup file",
    );
    key = opened.key;
    source = "keystore-file";
    if (checkPasswordStrength(opened.password).ok) reusablePassword = opened.password;
  } else {
    const parsed = parseKeyMaterial(input, { kind: options.kind, path: options.path });
    key = parsed;
    source = parsed.kind;
    derivationPath = parsed.kind === "mnemonic" ? parsed.path : undefined;
  }
  await confirmReplace(deps, options.existing, options.replace, key.address);
  const backend = await pickBackend(deps, options.backend);
  let newPassword: string | undefined;
  if (backend === "keystore") {
    if (reusablePassword) {
      newPassword = reusablePassword;
      deps.note("The keystore keeps the backup file's password.");
    } else {
      newPassword = await resolvePasswordSource(deps, source === "keystore-file" ? undefined : options.passwordFile).fresh();
    }
  }
  const stored = await storeKey(deps, key, backend, newPassword);
  return { ...stored, source, ...(derivationPath ? { derivationPath } : {}) };
}
