/**
 * Hex and UTF-8 conversions for the encrypted protocol. Both sides write hex without `0x`
 * (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/crypto/utilities.ts:47) and accept it with or without
 * (utilities.ts:30; fabstir-llm-node@85a87b8 src/api/server.rs:2243-2249 strips an optional "0x").
 */

export class CryptoInputError extends Error {}

export function hexToBytes(hex: string, field = "hex"): Uint8Array {
  const body = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) throw new CryptoInputError(`${field} is not valid hex`);
  return Uint8Array.from(Buffer.from(body, "hex"));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Strict UTF-8: the node refuses plaintext that is not UTF-8 (src/crypto/session_init.rs:387). */
export const fromUtf8 = (bytes: Uint8Array): string => new TextDecoder("utf-8", { fatal: true }).decode(bytes);
