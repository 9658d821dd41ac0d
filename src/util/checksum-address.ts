/**
 * EIP-55 checksummed addresses, with @noble/hashes' keccak (the hash ethers itself uses) rather than ethers: the
 * config rules run in commands that must start without loading the chain library.
 */

/** The EIP-55 form of a 0x-prefixed 40-hex-digit address (any case in, mixed case out). */
export function checksumAddress(address: string): string {
  const hex = address.slice(2).toLowerCase();
  // Loaded on the first address checked, not with every command that reads the config.
  const { keccak_256 } = require("@noble/hashes/sha3") as typeof import("@noble/hashes/sha3");
  const hash = keccak_256(new TextEncoder().encode(hex));
  let out = "0x";
  for (let i = 0; i < hex.length; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? hex[i]!.toUpperCase() : hex[i]!;
  }
  return out;
}
