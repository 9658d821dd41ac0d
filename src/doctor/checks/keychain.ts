/** Is the OS keychain usable? Without it the wallet key lives in the encrypted keystore file (and needs a password). */
import type { DoctorCheck } from "../types.ts";

export const keychainCheck: DoctorCheck = {
  id: "keychain",
  title: "OS keychain",
  async run(ctx) {
    if (!ctx.keychainProbe) return { status: "skip", summary: "no keychain probe in this build" };
    const usesKeychain = ctx.config?.wallet?.backend === "keychain";
    const result = await ctx.keychainProbe();
    // "secret-service: reason" reads like a name=value secret to the redactor, which would mask the reason.
    const reason = (result.reason ?? "unknown reason").replace(/\b(secret-service|keyutils|native):\s*/g, "$1 said ");
    const details = { ok: result.ok, store: result.store ?? null, persistent: result.persistent ?? null };
    if (result.ok && result.persistent === false) {
      return {
        status: usesKeychain ? "warn" : "pass",
        summary: `only the kernel keyring (${result.store}) works: keys stored there vanish at reboot`,
        fix: "Run a Secret Service (gnome-keyring, KeePassXC) for a persistent keychain, or keep the wallet in the keystore file.",
        details,
      };
    }
    if (result.ok) return { status: "pass", summary: `available (${result.store ?? "native"})`, details };
    return {
      status: usesKeychain ? "fail" : "warn",
      summary: `not available (${reason})${usesKeychain ? "; the wallet is configured to use it" : "; the wallet will use the encrypted keystore file"}`,
      fix: usesKeychain
        ? "Unlock or start the keychain (a desktop session or gnome-keyring-daemon), or move the wallet to the keystore backend."
        : "Nothing needed for the keystore file; on a headless server that is the usual choice.",
      details,
    };
  },
};
