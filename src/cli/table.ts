/** Plain aligned tables: readable on a terminal, stable in a pipe (no box drawing to parse around). */
// Escape sequences do not take up columns on screen.
const visibleLength = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "").length;

export function renderTable(headers: string[] | undefined, rows: string[][]): string {
  const all = headers ? [headers, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visibleLength(cell))))
      .join("  ")
      .trimEnd();
  const out = all.map(line);
  if (headers) out.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return out.join("\n") + "\n";
}

/** `key: value` lines with the keys aligned. */
export function renderFields(fields: [string, string][]): string {
  const width = Math.max(0, ...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}
