/**
 * Reading small secret files (password files, key files): the first line, registered with the redactor at once,
 * with a warning when other users can read the file.
 */
import { readFileSync, statSync } from "node:fs";
import type { Readable } from "node:stream";
import { registerSecret } from "../util/redact.ts";

/** Mode bits that let the group or other users read a file (ignored on Windows, which has no such bits). */
export function readableByOthers(path: string): boolean {
  if (process.platform === "win32") return false;
  try {
    return (statSync(path).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

export type SecretFileResult = { ok: true; value: string } | { ok: false; reason: string };

/** Reads a secret file whole, minus one trailing newline (editors and `echo` add one). */
export function readSecretFile(path: string, options: { firstLineOnly?: boolean } = {}): SecretFileResult {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "it does not exist" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
    return { ok: false, reason };
  }
  let value = options.firstLineOnly ? (text.split(/\r?\n/)[0] ?? "") : text.replace(/\r?\n$/, "");
  if (!options.firstLineOnly) value = value.trim();
  registerSecret(value);
  if (value === "") return { ok: false, reason: "it is empty" };
  return { ok: true, value };
}

/** Reads all of stdin (`--stdin`), registering it as a secret. */
export async function readSecretStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const value = Buffer.concat(chunks).toString("utf8").trim();
  registerSecret(value);
  return value;
}
