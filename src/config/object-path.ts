/** Dotted-path access into plain JSON objects ("node.apiPort"). */
export function getPath(target: unknown, path: string): unknown {
  let current = target;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let current = target;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== "object" || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete current[last];
  else current[last] = value;
}

/** Every leaf path of a plain object (arrays and records count as leaves when `isLeaf` says so). */
export function leafPaths(target: unknown, isLeaf: (path: string) => boolean, prefix = ""): string[] {
  if (target === null || typeof target !== "object" || Array.isArray(target)) return prefix ? [prefix] : [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(target as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isLeaf(path) || value === null || typeof value !== "object" || Array.isArray(value)) out.push(path);
    else out.push(...leafPaths(value, isLeaf, path));
  }
  return out;
}
