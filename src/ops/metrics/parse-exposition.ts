/**
 * Reads Prometheus text exposition (what /metrics serves) back into structured form, for `metrics --json` when the
 * numbers come from the running host rather than this process.
 */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: string;
  samples: MetricSample[];
}

function unescapeLabel(value: string): string {
  return value.replace(/\\(["\\n])/g, (_m, c: string) => (c === "n" ? "\n" : c));
}

function parseValue(text: string): number {
  if (/^\+?Inf$/i.test(text)) return Infinity;
  if (/^-Inf$/i.test(text)) return -Infinity;
  return Number(text);
}

/** One sample line: `name{a="1",b="x"} 12.5 [timestamp]`. */
export function parseSampleLine(line: string): MetricSample | undefined {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/.exec(line.trim());
  if (!match) return undefined;
  const labels: Record<string, string> = {};
  const body = match[3] ?? "";
  const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;
  for (let m = labelPattern.exec(body); m; m = labelPattern.exec(body)) labels[m[1]!] = unescapeLabel(m[2]!);
  return { name: match[1]!, labels, value: parseValue(match[4]!) };
}

function familyOf(sample: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  if (families.has(sample)) return families.get(sample);
  // Histogram and summary samples carry suffixes of their family's name.
  const base = sample.replace(/_(bucket|sum|count|created)$/, "");
  return families.get(base);
}

export function parseExposition(text: string): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  const ensure = (name: string) => {
    let family = families.get(name);
    if (!family) families.set(name, (family = { name, help: "", type: "untyped", samples: [] }));
    return family;
  };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const comment = /^#\s+(HELP|TYPE)\s+(\S+)\s?(.*)$/.exec(line);
    if (comment) {
      const family = ensure(comment[2]!);
      if (comment[1] === "HELP") family.help = comment[3]!.replace(/\\n/g, "\n").replace(/\\\\/g, "\\");
      else family.type = comment[3]!.trim();
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = parseSampleLine(line);
    if (!sample) continue;
    (familyOf(sample.name, families) ?? ensure(sample.name)).samples.push(sample);
  }
  return [...families.values()];
}
