/**
 * How long unlocking a keystore takes with production scrypt parameters (N = 131072, r = 8, p = 1): the wait a host
 * operator feels on every `start`, `export` or `backup`. Prints the median of 5 decryptions, through the same code
 * path the CLI uses (native scrypt), and for comparison ethers' JavaScript scrypt.
 *
 *   bun scripts/bench/unlock.ts [--runs 5]
 */
import { decryptKeystoreJson, encryptKeystoreJson, Wallet } from "ethers";
import { decryptKey, keyPairFromPrivateKey } from "../../src/wallet/keystore-crypto.ts";
import { PRODUCTION_SCRYPT_N } from "../../src/wallet/scrypt.ts";

const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
const password = "bench-password-not-secret-42";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function time(label: string, action: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await action();
    samples.push(performance.now() - started);
  }
  const result = median(samples);
  console.log(`${label.padEnd(34)} median ${result.toFixed(0).padStart(5)} ms   (runs: ${samples.map((s) => s.toFixed(0)).join(", ")})`);
  return result;
}

const wallet = Wallet.createRandom();
// Encrypt with the JavaScript scrypt before the native one is registered, with the production work factor.
const keystore = await encryptKeystoreJson({ address: wallet.address, privateKey: wallet.privateKey }, password, { scrypt: { N: PRODUCTION_SCRYPT_N } });
console.log(`keystore unlock, scrypt N=${PRODUCTION_SCRYPT_N} r=8 p=1, ${runs} runs, bun ${Bun.version}, ${process.platform}/${process.arch}`);
await time("ethers JavaScript scrypt", () => decryptKeystoreJson(keystore, password));
const key = keyPairFromPrivateKey(wallet.privateKey);
await time("fabstir-host (native scrypt)", async () => {
  const opened = await decryptKey(keystore, password, "bench");
  if (opened.address !== key.address) throw new Error("wrong key");
});
