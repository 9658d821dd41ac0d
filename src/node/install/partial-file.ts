/**
 * The `.partial` file of an unfinished download and its `.partial.json` note saying which file it is a prefix of.
 * A partial whose note names another file (a new release, a re-uploaded model) is discarded instead of resumed,
 * because appending the new file's tail to the old file's head can only end in a checksum failure.
 */
import { readFile, rm, writeFile } from "node:fs/promises";

export interface PartialNote {
  url: string;
  expectedSha256: string | null;
  expectedSize: number | null;
}

export function partialPaths(dest: string): { data: string; note: string } {
  return { data: `${dest}.partial`, note: `${dest}.partial.json` };
}

export async function readPartialNote(dest: string): Promise<PartialNote | null> {
  try {
    return JSON.parse(await readFile(partialPaths(dest).note, "utf8")) as PartialNote;
  } catch {
    return null;
  }
}

/** True when an existing partial may belong to the download described by `wanted`. */
export function partialMatches(note: PartialNote | null, wanted: PartialNote): boolean {
  if (!note) return true; // no note (older run): the checksum at the end still protects
  if (note.expectedSha256 && wanted.expectedSha256) return note.expectedSha256.toLowerCase() === wanted.expectedSha256.toLowerCase();
  return note.url === wanted.url;
}

export async function writePartialNote(dest: string, note: PartialNote): Promise<void> {
  await writeFile(partialPaths(dest).note, JSON.stringify(note) + "\n");
}

export async function removePartial(dest: string, options: { keepData?: boolean } = {}): Promise<void> {
  const { data, note } = partialPaths(dest);
  if (!options.keepData) await rm(data, { force: true });
  await rm(note, { force: true });
}
