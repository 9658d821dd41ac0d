/**
 * Stamps the release signer's minisign public key into copies of install.sh and install.ps1, so the published
 * installers check SHA256SUMS.sig without the user configuring anything. The key is public; it comes from the
 * MINISIGN_PUBLIC_KEY environment variable (a repository variable in the release workflow).
 *
 *   MINISIGN_PUBLIC_KEY=RW... bun scripts/release/stamp-installers.ts --out dist
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const SHELL_PLACEHOLDER = /^DEFAULT_MINISIGN_PUBKEY=""$/m;
const POWERSHELL_PLACEHOLDER = /^\$DefaultMinisignPubkey = ''$/m;

/** A minisign public key: base64 of 42 bytes ("Ed" + key id + key), 56 characters starting with RW. */
export function isMinisignPublicKey(key: string): boolean {
  return /^RW[A-Za-z0-9+/]{54}$/.test(key);
}

function stamp(text: string, placeholder: RegExp, line: string, file: string): string {
  if (!placeholder.test(text)) throw new Error(`${file} has no unstamped public key line to fill in`);
  return text.replace(placeholder, line);
}

export function stampInstallSh(text: string, key: string): string {
  if (!isMinisignPublicKey(key)) throw new Error("not a minisign public key (expected the RW... line of minisign.pub)");
  return stamp(text, SHELL_PLACEHOLDER, `DEFAULT_MINISIGN_PUBKEY="${key}"`, "install.sh");
}

export function stampInstallPs1(text: string, key: string): string {
  if (!isMinisignPublicKey(key)) throw new Error("not a minisign public key (expected the RW... line of minisign.pub)");
  return stamp(text, POWERSHELL_PLACEHOLDER, `$DefaultMinisignPubkey = '${key}'`, "install.ps1");
}

if (import.meta.main) {
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { out: { type: "string", default: "dist" } } });
    mkdirSync(values.out, { recursive: true });
    const key = (process.env.MINISIGN_PUBLIC_KEY ?? "").trim();
    const sources = { sh: join("installers", "install.sh"), ps1: join("installers", "install.ps1") };
    if (key === "") {
      // No signing key yet: publish the installers as they are (they still verify SHA256SUMS).
      copyFileSync(sources.sh, join(values.out, "install.sh"));
      copyFileSync(sources.ps1, join(values.out, "install.ps1"));
      console.log("MINISIGN_PUBLIC_KEY is not set: installers copied unstamped");
    } else {
      writeFileSync(join(values.out, "install.sh"), stampInstallSh(readFileSync(sources.sh, "utf8"), key), { mode: 0o755 });
      writeFileSync(join(values.out, "install.ps1"), stampInstallPs1(readFileSync(sources.ps1, "utf8"), key));
      console.log(`installers stamped with minisign key ${key.slice(0, 10)}... into ${values.out}`);
    }
  } catch (error) {
    console.error(`stamp-installers: ${(error as Error).message}`);
    process.exit(1);
  }
}
