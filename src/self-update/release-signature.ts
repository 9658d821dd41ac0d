/**
 * The release signature self-update requires: SHA256SUMS.sig, verified with the minisign key baked into official
 * builds (FABSTIR_BUILD_MINISIGN_PUBKEY, the same key scripts/release/stamp-installers.ts stamps into install.sh) or
 * given in FABSTIR_MINISIGN_PUBKEY. With a key, a missing or foreign signature refuses, as install.sh does: whoever
 * can replace the binary and SHA256SUMS can also delete the signature. Without one (a local build), the checksum is
 * all there is, and self-update says so.
 */
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { verifyMinisign } from "./minisign.ts";

declare const FABSTIR_BUILD_MINISIGN_PUBKEY: string | undefined;
const BAKED_IN_KEY = typeof FABSTIR_BUILD_MINISIGN_PUBKEY === "string" ? FABSTIR_BUILD_MINISIGN_PUBKEY : "";

export const SIGNATURE_FILE = "SHA256SUMS.sig";

export function releasePublicKey(env: Record<string, string | undefined>): string | undefined {
  return env.FABSTIR_MINISIGN_PUBKEY?.trim() || BAKED_IN_KEY || undefined;
}

/**
 * Throws SIGNATURE_MISSING / SIGNATURE_INVALID unless `signature` (the .sig's text, or undefined) verifies `sums`.
 * The release workflow signs with the trusted comment `fabstir-host <version>` (.github/workflows/release.yml); such
 * a comment must name the version asked for, so an older signed release cannot be replayed as a newer one.
 */
export function checkReleaseSignature(sums: string, signature: string | undefined, publicKey: string, where: string, version?: string): string {
  if (signature === undefined) {
    throw new HostError(
      CoreErrors.SIGNATURE_MISSING,
      `${where} publishes no ${SIGNATURE_FILE}, and this fabstir-host verifies releases with a minisign key: refusing to update (the signature may have been stripped).`,
      {
        hint: "Try: nothing to fix here; report it if this is an official release. The installed binary was not touched.",
      },
    );
  }
  const result = verifyMinisign(Buffer.from(sums, "utf8"), signature, publicKey);
  if (!result.ok) {
    const why =
      result.reason === "other-key" ? "was made by another key" : result.reason === "malformed" ? "is not a minisign signature" : "does not match SHA256SUMS";
    throw new HostError(CoreErrors.SIGNATURE_INVALID, `${SIGNATURE_FILE} at ${where} ${why}: refusing to update.`, {
      hint: "Try: nothing to fix here; report it if this is an official release. The installed binary was not touched.",
    });
  }
  const signedVersion = /^fabstir-host v?(\S+)$/.exec(result.trustedComment.trim())?.[1];
  if (version && signedVersion && signedVersion !== version) {
    throw new HostError(
      CoreErrors.SIGNATURE_INVALID,
      `${SIGNATURE_FILE} at ${where} was signed for fabstir-host ${signedVersion}, not ${version}: refusing to update.`,
      {
        hint: "Try: nothing to fix here; an older release is being served as a newer one. The installed binary was not touched.",
      },
    );
  }
  return result.trustedComment;
}
