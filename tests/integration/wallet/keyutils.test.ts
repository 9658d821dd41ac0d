/**
 * The kernel keyring (keyutils) as a real store: `keyctl session` gives the child CLIs a fresh session keyring.
 * The binding links entries into the per-user persistent keyring, which the kernel clears at reboot (and after
 * 3 days unused), so the automatic choice never picks it; `--backend keychain` still may.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "ethers";
import { secretFile, TEST_PASSWORD } from "../../unit/wallet/wallet-fixtures.ts";
import { childEnv, cli, envelopes, inKeyctlSession, keyringOp, tempHome } from "./keychain-env.ts";
import { WalletErrors } from "../../../src/errors/codes/index.ts";

const home = tempHome("keyutils-");
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("kernel keyring (keyutils)", () => {
  test("probe, automatic choice, and a full keychain round trip through the CLI", async () => {
    // A fresh key per run: the persistent keyring is shared by every process of this user.
    const wallet = Wallet.createRandom();
    const keyFile = secretFile(home, "key.txt", wallet.privateKey);
    const pwFile = secretFile(home, "pw.txt", TEST_PASSWORD);
    const auto = join(home, "auto");
    const forced = join(home, "forced");
    const script = [
      keyringOp("probe"),
      cli(`wallet create --json --password-file ${pwFile} --config-dir ${auto}`),
      cli(`wallet import --json --from-file ${keyFile} --backend keychain --config-dir ${forced}`),
      cli(`wallet address --json --config-dir ${forced}`),
      cli(`wallet export --insecure --yes --json --config-dir ${forced}`),
      keyringOp(`get ${wallet.address}`),
      cli(`wallet remove --yes --json --config-dir ${forced}`),
      keyringOp(`get ${wallet.address}`),
    ].join("; ");
    const result = await inKeyctlSession(script, childEnv(home));
    const [probe, created, imported, address, exported, present, removed, absent] = envelopes(result.stdout);
    expect(probe.result).toEqual({ ok: true, store: "keyutils", persistent: false });
    expect(created.data.backend).toBe("keystore"); // volatile keyring: not chosen automatically
    expect(imported.data).toMatchObject({ address: wallet.address, backend: "keychain" });
    expect(imported.data.location).toContain("kernel keyring");
    expect(result.stderr).toContain("forgets keys at reboot");
    expect(address.data.publicKey).toBe(wallet.signingKey.compressedPublicKey);
    expect(exported.data.privateKey).toBe(wallet.privateKey);
    expect(present.result).toMatchObject({ value: "<present>", store: "keyutils" });
    expect(removed.data).toEqual({ address: wallet.address, removed: true });
    expect(absent.result.value).toBeNull();
  });

  test("an entry that is gone (reboot) gives the recovery steps, and the address still works", async () => {
    const wallet = Wallet.createRandom();
    const keyFile = secretFile(home, "key2.txt", wallet.privateKey);
    const dir = join(home, "gone");
    const script = [
      cli(`wallet import --json --from-file ${keyFile} --backend keychain --config-dir ${dir}`),
      keyringOp(`delete ${wallet.address}`),
      cli(`wallet address --json --config-dir ${dir}`),
      cli(`wallet export --insecure --yes --json --config-dir ${dir}`),
    ].join("; ");
    const result = await inKeyctlSession(script, childEnv(home));
    const [imported, deleted, address, failed] = envelopes(result.stdout);
    expect(imported.ok).toBe(true);
    expect(deleted.result.deleted).toBe(true);
    expect(address.data.address).toBe(wallet.address);
    expect(failed.error.code).toBe(WalletErrors.KEYCHAIN_ENTRY_MISSING.code);
    expect(failed.error.hint).toContain("wallet import --from-file");
  });
});
