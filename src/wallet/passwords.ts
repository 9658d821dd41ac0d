/**
 * Where the keystore password comes from, in this order:
 *   1. --password-file <path>
 *   2. FABSTIR_PASSWORD_FILE
 *   3. systemd credentials: $CREDENTIALS_DIRECTORY/fabstir-password (LoadCredential=fabstir-password:/path)
 *   4. a hidden prompt, only on a terminal
 * A password in a plain environment variable is refused: the environment is copied into every child process and is
 * readable in /proc by the same user, and it ends up in crash reports.
 */
import { Warnings } from "../errors/codes/warnings.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import { registerSecret } from "../util/redact.ts";
import { checkPasswordStrength } from "./password-strength.ts";
import { readableByOthers, readSecretFile } from "./secret-files.ts";
import type { WalletDeps } from "./types.ts";

export const REFUSED_PASSWORD_VARIABLES = ["FABSTIR_PASSWORD", "FABSTIR_KEYSTORE_PASSWORD"];
export const SYSTEMD_CREDENTIAL_NAME = "fabstir-password";

export interface PasswordSource {
  kind: "file" | "env-file" | "systemd" | "prompt";
  /** For messages: "the password file /x", "the terminal prompt". */
  label: string;
  /** A prompt can be asked again after a wrong password; a file cannot change between attempts. */
  interactive: boolean;
  /** The password to unlock an existing keystore. */
  current(message?: string): Promise<string>;
  /** A new password, strength-checked; a prompt asks twice. */
  fresh(message?: string): Promise<string>;
}

type SourceDeps = Pick<WalletDeps, "env" | "interactive" | "prompter" | "warn" | "warning">;

function refuseEnvironmentPasswords(env: Record<string, string | undefined>): void {
  const found = REFUSED_PASSWORD_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== "");
  if (found.length === 0) return;
  for (const name of found) registerSecret(env[name]);
  throw new HostError(WalletErrors.PASSWORD_IN_ENV, `${found.join(" and ")} is set; passwords in environment variables are refused.`, {
    hint: `Try: unset ${found[0]}, write the password to a file with mode 600, and pass --password-file <file> (or set FABSTIR_PASSWORD_FILE).`,
  });
}

function weakPasswordError(problem: string): HostError {
  return new HostError(WalletErrors.PASSWORD_WEAK, `The password is too weak: ${problem}.`);
}

function fileSource(deps: SourceDeps, kind: "file" | "env-file" | "systemd", path: string, label: string): PasswordSource {
  const read = (): string => {
    const result = readSecretFile(path, { firstLineOnly: true });
    if (!result.ok) {
      throw new HostError(WalletErrors.PASSWORD_FILE, `Cannot use ${label} ${path}: ${result.reason}.`, {
        hint: "Try: put the password on the first line of the file, with mode 600.",
      });
    }
    if (kind !== "systemd" && readableByOthers(path)) {
      deps.warning(Warnings.SECRET_FILE_READABLE, `${path} can be read by other users; run: chmod 600 ${path}`);
    }
    return result.value;
  };
  return {
    kind,
    label: `${label} ${path}`,
    interactive: false,
    current: async () => read(),
    fresh: async () => {
      const password = read();
      const verdict = checkPasswordStrength(password);
      if (!verdict.ok) throw weakPasswordError(`${verdict.problem} (read from ${path})`);
      return password;
    },
  };
}

function promptSource(deps: SourceDeps): PasswordSource {
  return {
    kind: "prompt",
    label: "the terminal prompt",
    interactive: true,
    async current(message = "Keystore password") {
      const password = await deps.prompter.secret(message);
      registerSecret(password);
      return password;
    },
    async fresh(message = "New keystore password") {
      const password = await deps.prompter.secret(message, {
        validate: (value) => {
          const verdict = checkPasswordStrength(value);
          return verdict.ok ? true : `Too weak: ${verdict.problem}.`;
        },
      });
      registerSecret(password);
      const verdict = checkPasswordStrength(password);
      if (!verdict.ok) throw weakPasswordError(verdict.problem!);
      const again = await deps.prompter.secret("Type the password again");
      registerSecret(again);
      if (again !== password) throw new HostError(WalletErrors.PASSWORD_MISMATCH, "The two passwords differ; nothing was changed.");
      return password;
    },
  };
}

/**
 * Picks the password source for this run. `explicitFile` is --password-file (or another flag naming a file, such as
 * --new-password-file); `flagName` is the flag to suggest when no source exists and nobody can be asked.
 */
export function resolvePasswordSource(deps: SourceDeps, explicitFile: string | undefined, flagName = "--password-file"): PasswordSource {
  refuseEnvironmentPasswords(deps.env);
  if (explicitFile) return fileSource(deps, "file", explicitFile, "the password file");
  const fromEnv = deps.env.FABSTIR_PASSWORD_FILE;
  if (fromEnv) return fileSource(deps, "env-file", fromEnv, "FABSTIR_PASSWORD_FILE");
  const credentials = deps.env.CREDENTIALS_DIRECTORY;
  if (credentials && existsSync(join(credentials, SYSTEMD_CREDENTIAL_NAME))) {
    return fileSource(deps, "systemd", join(credentials, SYSTEMD_CREDENTIAL_NAME), "the systemd credential");
  }
  if (deps.interactive.stdin) return promptSource(deps);
  throw new HostError(CoreErrors.NOT_INTERACTIVE, "The keystore password is needed and there is no terminal to ask it on.", {
    hint: `Try: ${flagName} <file> (mode 600), FABSTIR_PASSWORD_FILE, or systemd LoadCredential=${SYSTEMD_CREDENTIAL_NAME}:<file>.`,
  });
}

/**
 * A source for a second, different password (change-password's new one, a backup's own): only its explicit flag or a
 * prompt. Falling back to FABSTIR_PASSWORD_FILE here would silently reuse the current password.
 */
export function resolveNewPasswordSource(deps: SourceDeps, explicitFile: string | undefined, flagName: string): PasswordSource {
  refuseEnvironmentPasswords(deps.env);
  if (explicitFile) return fileSource(deps, "file", explicitFile, "the password file");
  if (deps.interactive.stdin) return promptSource(deps);
  throw new HostError(CoreErrors.NOT_INTERACTIVE, "A new password is needed and there is no terminal to ask it on.", {
    hint: `Try: ${flagName} <file> (mode 600).`,
  });
}
