import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { checkPasswordStrength } from "../../../src/wallet/password-strength.ts";
import { resolveNewPasswordSource, resolvePasswordSource } from "../../../src/wallet/passwords.ts";
import { forgetSecrets, redact } from "../../../src/util/redact.ts";
import { scriptedPrompter } from "../../helpers/context.ts";
import { expectCode, OTHER_PASSWORD, secretFile, tempDir, testDeps, TEST_PASSWORD } from "./wallet-fixtures.ts";
import { CoreErrors, WalletErrors } from "../../../src/errors/codes/index.ts";

// Passwords read here are registered with the process-wide redactor; do not let them mask later files' output.
afterAll(() => forgetSecrets());

describe("password strength", () => {
  test("12+ characters of more than one kind, or a passphrase of 4+ words", () => {
    expect(checkPasswordStrength(TEST_PASSWORD).ok).toBe(true);
    expect(checkPasswordStrength("Tr0ub4dor&3x").ok).toBe(true);
    expect(checkPasswordStrength("river stone cloud maple").ok).toBe(true);
  });

  test("short, single-class and repetitive passwords are refused with a reason", () => {
    expect(checkPasswordStrength("Short1!").problem).toContain("7 characters");
    expect(checkPasswordStrength("abcdefghijklmnop").problem).toContain("single kind");
    expect(checkPasswordStrength("123456789012345").problem).toContain("single kind");
    expect(checkPasswordStrength("aaaaaaaaaaaaaaa1").problem).toContain("too few different");
  });
});

describe("password sources, in order", () => {
  test("--password-file first: its first line, exactly, registered with the redactor", async () => {
    const dir = tempDir();
    const file = secretFile(dir, "pw", `${TEST_PASSWORD}\nsecond line\n`);
    const deps = testDeps({ env: { FABSTIR_PASSWORD_FILE: secretFile(dir, "other", OTHER_PASSWORD) } });
    const source = resolvePasswordSource(deps, file);
    expect(source.kind).toBe("file");
    expect(await source.current()).toBe(TEST_PASSWORD);
    expect(redact(`pw is ${TEST_PASSWORD}`)).not.toContain(TEST_PASSWORD);
  });

  test("then FABSTIR_PASSWORD_FILE, then the systemd credential, then a prompt on a terminal", async () => {
    const dir = tempDir();
    const credentials = join(dir, "creds");
    mkdirSync(credentials);
    secretFile(credentials, "fabstir-password", OTHER_PASSWORD);
    const envFile = secretFile(dir, "pw", TEST_PASSWORD);
    expect(resolvePasswordSource(testDeps({ env: { FABSTIR_PASSWORD_FILE: envFile, CREDENTIALS_DIRECTORY: credentials } }), undefined).kind).toBe("env-file");
    const systemd = resolvePasswordSource(testDeps({ env: { CREDENTIALS_DIRECTORY: credentials } }), undefined);
    expect(systemd.kind).toBe("systemd");
    expect(await systemd.current()).toBe(OTHER_PASSWORD);
    const prompt = resolvePasswordSource(
      testDeps({ interactive: { stdin: true, stdout: true }, prompter: scriptedPrompter({ "Keystore password": TEST_PASSWORD }) }),
      undefined,
    );
    expect(prompt.kind).toBe("prompt");
    expect(await prompt.current()).toBe(TEST_PASSWORD);
  });

  test("no source and no terminal: a usage error naming the flag", async () => {
    const error = await expectCode(() => resolvePasswordSource(testDeps(), undefined), CoreErrors.NOT_INTERACTIVE.code);
    expect(error.hint).toContain("--password-file");
    const fresh = await expectCode(
      () => resolveNewPasswordSource(testDeps({ env: { FABSTIR_PASSWORD_FILE: "/x" } }), undefined, "--new-password-file"),
      CoreErrors.NOT_INTERACTIVE.code,
    );
    expect(fresh.hint).toContain("--new-password-file");
  });

  test("a password in a plain environment variable is refused, and never printed", async () => {
    for (const name of ["FABSTIR_PASSWORD", "FABSTIR_KEYSTORE_PASSWORD"]) {
      const error = await expectCode(
        () => resolvePasswordSource(testDeps({ env: { [name]: TEST_PASSWORD } }), "/some/file"),
        WalletErrors.PASSWORD_IN_ENV.code,
      );
      expect(error.message).toContain(name);
      expect(error.message + error.hint).not.toContain(TEST_PASSWORD);
      expect(error.hint).toContain("--password-file");
    }
  });

  test("a password file other users can read works, with a warning and the chmod to run", async () => {
    const file = secretFile(tempDir(), "pw", TEST_PASSWORD, 0o644);
    const deps = testDeps();
    expect(await resolvePasswordSource(deps, file).current()).toBe(TEST_PASSWORD);
    expect(deps.warnings.join("\n")).toContain(`chmod 600 ${file}`);
  });

  test("missing and empty files are clear errors", async () => {
    const dir = tempDir();
    const missing = await expectCode(() => resolvePasswordSource(testDeps(), join(dir, "nope")).current(), WalletErrors.PASSWORD_FILE.code);
    expect(missing.message).toContain("does not exist");
    const empty = await expectCode(() => resolvePasswordSource(testDeps(), secretFile(dir, "empty", "\n")).current(), WalletErrors.PASSWORD_FILE.code);
    expect(empty.message).toContain("empty");
  });

  test("a new password from a file is strength-checked", async () => {
    const file = secretFile(tempDir(), "pw", "tiny-pw");
    const error = await expectCode(() => resolvePasswordSource(testDeps(), file).fresh(), WalletErrors.PASSWORD_WEAK.code);
    expect(error.message).toContain("7 characters");
    expect(error.message).not.toContain("tiny-pw");
  });

  test("a new password on a terminal is asked twice; a mismatch changes nothing", async () => {
    const same = testDeps({
      interactive: { stdin: true, stdout: true },
      prompter: scriptedPrompter({ "New keystore password": TEST_PASSWORD, again: TEST_PASSWORD }),
    });
    expect(await resolvePasswordSource(same, undefined).fresh()).toBe(TEST_PASSWORD);
    const differ = testDeps({
      interactive: { stdin: true, stdout: true },
      prompter: scriptedPrompter({ "New keystore password": TEST_PASSWORD, again: OTHER_PASSWORD }),
    });
    await expectCode(() => resolvePasswordSource(differ, undefined).fresh(), WalletErrors.PASSWORD_MISMATCH.code);
  });
});
