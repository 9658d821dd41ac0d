/**
 * scrypt for keystore files.
 *
 * Work factor: production always uses ethers' default (N = 131072, r = 8, p = 1), the Web3 Secret Storage standard.
 * Tests may lower N with FABSTIR_TEST_SCRYPT_N, and that variable is honoured ONLY when the process runs under a test
 * runner (NODE_ENV=test, which `bun test` sets, or BUN_ENV=test); anywhere else it is ignored, so a stray variable
 * can never weaken a real keystore. Decryption always uses the parameters written in the file.
 *
 * Speed: ethers computes scrypt in JavaScript; node:crypto's native scrypt gives the same bytes about twice as fast,
 * which is what a host feels on every unlock. We register it with ethers once.
 */
import { scrypt as nodeScrypt } from "node:crypto";
import { scrypt as ethersScrypt } from "ethers";

export const PRODUCTION_SCRYPT_N = 131072;

function underTestRunner(): boolean {
  return process.env.NODE_ENV === "test" || process.env.BUN_ENV === "test";
}

/** The N to encrypt new keystores with. */
export function scryptWorkFactor(env: Record<string, string | undefined> = process.env): number {
  if (!underTestRunner()) return PRODUCTION_SCRYPT_N;
  const requested = Number(env.FABSTIR_TEST_SCRYPT_N ?? process.env.FABSTIR_TEST_SCRYPT_N);
  // A power of two ≥ 2 is what scrypt accepts; anything else falls back to the production value.
  if (Number.isInteger(requested) && requested >= 2 && (requested & (requested - 1)) === 0) return requested;
  return PRODUCTION_SCRYPT_N;
}

let registered = false;

export function useNativeScrypt(): void {
  if (registered) return;
  registered = true;
  try {
    ethersScrypt.register(
      (password, salt, N, r, p, dkLen) =>
        new Promise((resolve, reject) => {
          // maxmem must cover 128·N·r bytes plus slack, or node refuses large N.
          const maxmem = 128 * N * r * (p + 1) + 32 * 1024 * 1024;
          nodeScrypt(password, salt, dkLen, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))));
        }),
    );
  } catch {
    // ethers was locked by someone else: keep its JavaScript implementation, which gives the same result.
  }
}
