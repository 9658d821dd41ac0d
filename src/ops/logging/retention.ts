/**
 * Compression and retention of rotated segments. Runs after each rotation (and once when a file is first opened, to
 * finish what an earlier process left half done), so the logs directory stays within maxFiles × maxSizeMb per
 * component whatever happens.
 */
import { createReadStream, createWriteStream, existsSync, readdirSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { compareLogFiles, parseLogFileName, type LogFileName } from "./log-files.ts";

interface RotatedSegment {
  key: string;
  name: LogFileName;
  files: string[];
}

/** Rotated segments of a component, oldest first; a segment half compressed (plain and .gz) counts once. */
export function rotatedSegments(logsDir: string, component: string): RotatedSegment[] {
  let names: string[];
  try {
    names = readdirSync(logsDir);
  } catch {
    return [];
  }
  const segments = new Map<string, RotatedSegment>();
  for (const file of names) {
    const parsed = parseLogFileName(file);
    if (!parsed || parsed.active || parsed.component !== component) continue;
    const key = `${parsed.date}.${parsed.index}`;
    const segment = segments.get(key) ?? { key, name: parsed, files: [] };
    segment.files.push(join(logsDir, file));
    segments.set(key, segment);
  }
  return [...segments.values()].sort((a, b) => compareLogFiles(a.name, b.name));
}

/** Next free rotation index for a component's day. */
export function nextRotationIndex(logsDir: string, component: string, date: string): number {
  let highest = 0;
  for (const segment of rotatedSegments(logsDir, component)) {
    if (segment.name.date === date) highest = Math.max(highest, segment.name.index);
  }
  return highest + 1;
}

/** Deletes the oldest rotated segments so that at most `keep` remain. Returns the files removed. */
export function pruneSegments(logsDir: string, component: string, keep: number): string[] {
  const segments = rotatedSegments(logsDir, component);
  const excess = segments.slice(0, Math.max(0, segments.length - Math.max(0, keep)));
  const removed: string[] = [];
  for (const segment of excess) {
    for (const file of segment.files) {
      try {
        unlinkSync(file);
        removed.push(file);
      } catch {
        // Gone already, or not ours to delete: retention tries again after the next rotation.
      }
    }
  }
  return removed;
}

/** Plain rotated files without a finished .gz next to them (left by a process that stopped mid-compression). */
export function uncompressedSegments(logsDir: string, component: string): string[] {
  return rotatedSegments(logsDir, component)
    .filter((segment) => segment.files.every((file) => !file.endsWith(".gz")))
    .map((segment) => segment.files[0]!);
}

/**
 * Compresses one rotated file to `<file>.gz` and removes the plain one. Writes to a temporary name first, so a
 * reader never sees a truncated archive; on failure (disk full) the plain file stays and is still readable.
 */
export async function compressSegment(file: string): Promise<boolean> {
  const temporary = `${file}.gz.partial`;
  try {
    // Loaded here, not at the top: every command creates a logger, and only a rotation compresses.
    const [{ pipeline }, { createGzip }] = await Promise.all([import("node:stream/promises"), import("node:zlib")]);
    await pipeline(createReadStream(file), createGzip(), createWriteStream(temporary, { mode: 0o600 }));
    renameSync(temporary, `${file}.gz`);
    if (existsSync(file)) unlinkSync(file);
    return true;
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
}
