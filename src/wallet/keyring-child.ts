/**
 * The keychain helper process. It reads one JSON request on stdin, performs it with the native binding, and writes
 * one JSON answer on stdout. The secret travels only through these pipes: never argv, never the environment.
 *
 * Run as `bun src/wallet/keyring-child.ts` from source, or, in the compiled binary, as the binary itself with
 * FABSTIR_KEYRING_CHILD=1 (main.ts hands over to `runKeyringChild` before building the CLI).
 */
import { nativeDelete, nativeGet, nativeProbe, nativeSet } from "./keyring-native.ts";
import type { KeyringRequest, KeyringResponse } from "./keyring-types.ts";

export type { KeyringRequest, KeyringResponse };

export function handleKeyringRequest(request: KeyringRequest): KeyringResponse {
  try {
    switch (request.op) {
      case "probe":
        return { ok: true, result: nativeProbe() };
      case "set":
        return { ok: true, result: nativeSet(request.account, request.secret, request.store) };
      case "get":
        return { ok: true, result: nativeGet(request.account) };
      case "delete":
        return { ok: true, result: nativeDelete(request.account) };
      default:
        return { ok: false, error: "unknown keyring operation" };
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

export async function runKeyringChild(): Promise<number> {
  let response: KeyringResponse;
  try {
    response = handleKeyringRequest(JSON.parse(await readAll(process.stdin)) as KeyringRequest);
  } catch {
    response = { ok: false, error: "malformed keyring request" };
  }
  process.stdout.write(JSON.stringify(response) + "\n");
  return response.ok ? 0 : 1;
}

if (import.meta.main) {
  runKeyringChild().then((code) => {
    process.exitCode = code;
  });
}
