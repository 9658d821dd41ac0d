/** Turns an error hint ("Try: fabstir-host node install") into a doctor fix line ("Run `fabstir-host node install`."). */
export function fixFromHint(hint: string | undefined, fallback?: string): string | undefined {
  if (!hint) return fallback;
  const text = hint.replace(/^Try:\s*/, "").trim();
  return /^fabstir-host\s/.test(text) ? `Run \`${text}\`.` : text;
}
