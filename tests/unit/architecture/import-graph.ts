/**
 * The import graph of src/, read from the source text (type-only imports included, as a reader follows them). Shared by
 * the architecture tests and scripts that report on the graph.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export interface ImportGraph {
  root: string;
  /** File (relative to src/) → the src/ files it imports. */
  edges: Map<string, string[]>;
  /** File (relative to src/) → the packages it imports statically (dynamic `import()` of a package is lazy, not listed). */
  packages: Map<string, string[]>;
}

const RELATIVE = /(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;
const STATIC_PACKAGE = /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+["']([^."'][^"']*)["']|(?:^|\n)\s*import\s+["']([^."'][^"']*)["']/g;

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (path.endsWith(".ts")) out.push(path);
  }
  return out;
}

function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

export function readImportGraph(srcDir: string): ImportGraph {
  const root = resolve(srcDir);
  const files = walk(root, []);
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const targets: string[] = [];
    for (const match of text.matchAll(RELATIVE)) {
      let target = resolve(dirname(file), (match[1] ?? match[2])!);
      if (!target.endsWith(".ts")) target = statSync(target, { throwIfNoEntry: false })?.isDirectory() ? join(target, "index.ts") : `${target}.ts`;
      if (known.has(target)) targets.push(relative(root, target));
    }
    edges.set(relative(root, file), targets);
    const used = [...text.matchAll(STATIC_PACKAGE)]
      .map((match) => packageName((match[1] ?? match[2])!))
      .filter((name) => !name.startsWith("node:") && name !== "bun");
    packages.set(relative(root, file), [...new Set(used)]);
  }
  return { root, edges, packages };
}

/** Strongly connected components of more than one file: the import circles. */
export function importCircles(graph: ImportGraph): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (file: string) => {
    indexOf.set(file, index);
    low.set(file, index);
    index++;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.edges.get(file) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, indexOf.get(next)!));
    }
    if (low.get(file) === indexOf.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1) circles.push(component.sort());
    }
  };
  for (const file of graph.edges.keys()) if (!indexOf.has(file)) visit(file);
  return circles;
}

/** Every file reachable from `start` through static imports (dynamic imports load later, on demand). */
export function staticClosure(srcDir: string, start: string): Set<string> {
  const root = resolve(srcDir);
  const seen = new Set<string>();
  const STATIC = /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+["'](\.[^"']+)["']|(?:^|\n)\s*import\s+["'](\.[^"']+)["']/g;
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(root, file), "utf8");
    for (const match of text.matchAll(STATIC)) {
      // `import { type A, type B } from` is erased entirely by the compiler.
      if (/import\s*\{\s*(?:type\s+\w+\s*,?\s*)+\}\s*from/.test(match[0])) continue;
      let target = resolve(dirname(join(root, file)), (match[1] ?? match[2])!);
      const found = statSync(target, { throwIfNoEntry: false });
      if (found?.isFile() && !target.endsWith(".ts")) continue; // data (package.json), not code
      if (!target.endsWith(".ts")) target = found?.isDirectory() ? join(target, "index.ts") : `${target}.ts`;
      queue.push(relative(root, target));
    }
  }
  return seen;
}
