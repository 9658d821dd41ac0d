/**
 * Files we install carry their own fingerprint: a comment line with the SHA-256 of everything else in the file. On
 * re-install a file whose content still matches its fingerprint is ours to replace; one that was edited by hand (or
 * never had our line) is left alone, with a warning. A person's own changes belong in their own drop-in anyway.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const MARKER = /fabstir-host managed sha256=([0-9a-f]{64})/;

export type CommentStyle = "hash" | "xml";

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Inserts the fingerprint line: first for `#` files, right after the XML declaration for XML. */
export function withFingerprint(body: string, style: CommentStyle): string {
  const hash = sha256(body);
  if (style === "hash") return `# fabstir-host managed sha256=${hash}. Edits here stop updates: use a drop-in instead.\n${body}`;
  const [declaration, ...rest] = body.split("\n");
  return [declaration, `<!-- fabstir-host managed sha256=${hash}. Edits here stop updates. -->`, ...rest].join("\n");
}

export type ManagedState = "absent" | "ours" | "edited";

export function managedState(text: string | undefined): ManagedState {
  if (text === undefined) return "absent";
  const lines = text.split("\n");
  const at = lines.findIndex((line) => MARKER.test(line));
  if (at < 0) return "edited";
  const recorded = MARKER.exec(lines[at]!)![1];
  lines.splice(at, 1);
  return sha256(lines.join("\n")) === recorded ? "ours" : "edited";
}

export type FileEncoding = "utf8" | "utf16le";

export function readText(path: string, encoding: FileEncoding = "utf8"): string | undefined {
  if (!existsSync(path)) return undefined;
  const raw = readFileSync(path);
  if (encoding === "utf16le") return raw.toString("utf16le").replace(/^\uFEFF/, "");
  return raw.toString("utf8");
}

export interface WriteOutcome {
  path: string;
  action: "created" | "updated" | "unchanged" | "kept-edited";
}

/** Writes a managed file unless a person edited the one there. */
export function writeManaged(path: string, content: string, encoding: FileEncoding = "utf8", mode = 0o644): WriteOutcome {
  const existing = readText(path, encoding);
  const state = managedState(existing);
  if (state === "edited") return { path, action: "kept-edited" };
  if (existing === content) return { path, action: "unchanged" };
  mkdirSync(dirname(path), { recursive: true });
  const data = encoding === "utf16le" ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, "utf16le")]) : content;
  writeFileSync(path, data, { mode });
  return { path, action: state === "absent" ? "created" : "updated" };
}
