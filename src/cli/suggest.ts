/** "Did you mean …?" for unknown commands: nearest command path by edit distance. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/**
 * Compares the words the user typed against every command path, using as many leading words as the path has.
 * Returns the closest path when it is close enough to be a plausible typo.
 */
export function nearestCommand(argv: string[], paths: string[][]): string | undefined {
  const words = argv.filter((word) => !word.startsWith("-"));
  if (words.length === 0) return undefined;
  let best: { path: string; score: number } | undefined;
  for (const path of paths) {
    if (path.length === 0) continue;
    const typed = words.slice(0, path.length).join(" ");
    const candidate = path.join(" ");
    const score = editDistance(typed, candidate) / Math.max(candidate.length, 1);
    if (!best || score < best.score) best = { path: candidate, score };
  }
  return best && best.score <= 0.5 ? best.path : undefined;
}
