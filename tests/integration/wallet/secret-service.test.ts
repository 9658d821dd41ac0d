/**
 * The Secret Service (gnome-keyring over a private D-Bus session bus) as a real store: the desktop case, and the
 * store the automatic choice prefers because it keeps keys across reboots.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "ethers";
import { secretFile, TEST_PASSWORD } from "../../unit/wallet/wallet-fixtures.ts";
import { childEnv, cli, envelopes, inSecretService, keyringOp, tempHome } from "./keychain-env.ts";
import { WalletErrors } from "../../../src/errors/codes/index.ts";

const home = tempHome("secret-service-");
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("Secret Service (gnome-keyring)", () => {
  test("probe finds it; create picks it; address, export, backup/restore and remove work through the CLI", async () => {
    const pwFile = secretFile(home, "pw.txt", TEST_PASSWORD);
    const dir = join(home, "host");
    const backup = join(home, "backup.json");
    const script = [
      keyringOp("probe"),
      cli(`wallet create --json --config-dir ${dir}`),
      cli(`wallet address --json --config-dir ${dir}`),
      cli(`wallet export --insecure --yes --json --config-dir ${dir}`),
      cli(`wallet backup ${backup} --backup-password-file ${pwFile} --json --config-dir ${dir}`),
      cli(`wallet remove --yes --json --config-dir ${dir}`),
      cli(`wallet import --from-file ${backup} --password-file ${pwFile} --json --config-dir ${dir}`),
      cli(`wallet export --insecure --yes --json --config-dir ${dir}`),
      cli(`wallet remove --yes --json --config-dir ${dir}`),
    ].join("; ");
    const result = await inSecretService(script, home, childEnv(home));
    const [probe, created, address, exported, backedUp, removed, restored, exportedAgain, removedAgain] = envelopes(result.stdout);
    expect(probe.result).toEqual({ ok: true, store: "secret-service", persistent: true });
    expect(created.data.backend).toBe("keychain");
    expect(created.data.location).toContain("Secret Service");
    expect(address.data).toEqual({ address: created.data.address, backend: "keychain", publicKey: created.data.publicKey });
    const key = exported.data.privateKey;
    expect(new Wallet(key).address).toBe(created.data.address);
    expect(backedUp.data.protection).toBe("own");
    expect(removed.data.removed).toBe(true);
    expect(restored.data).toMatchObject({ address: created.data.address, backend: "keychain", source: "keystore-file" });
    expect(exportedAgain.data.privateKey).toBe(key);
    expect(removedAgain.ok).toBe(true);
  });

  test("a key deleted from the keyring: a clear error with the recovery steps", async () => {
    const wallet = Wallet.createRandom();
    const keyFile = secretFile(home, "key.txt", wallet.privateKey);
    const dir = join(home, "gone");
    const script = [
      cli(`wallet import --json --from-file ${keyFile} --config-dir ${dir}`),
      keyringOp(`delete ${wallet.address}`),
      cli(`wallet export --insecure --yes --json --config-dir ${dir}`),
    ].join("; ");
    const result = await inSecretService(script, home, childEnv(home));
    const [imported, deleted, failed] = envelopes(result.stdout);
    expect(imported.data.backend).toBe("keychain");
    expect(deleted.result.deleted).toBe(true);
    expect(failed.error.code).toBe(WalletErrors.KEYCHAIN_ENTRY_MISSING.code);
    expect(failed.error.hint).toContain("wallet import --from-file");
  });
});
