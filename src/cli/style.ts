/** Colours only on a terminal and never with NO_COLOR (https://no-color.org). */
import type { OutputMode } from "../context.ts";

const codes = { red: 31, green: 32, yellow: 33, blue: 34, cyan: 36, gray: 90, bold: 1, dim: 2 } as const;
export type StyleName = keyof typeof codes;

export interface Style {
  (name: StyleName, text: string): string;
  ok(text: string): string;
  warn(text: string): string;
  fail(text: string): string;
}

export function styleFor(output: Pick<OutputMode, "color">): Style {
  const paint = ((name: StyleName, text: string) => (output.color ? `\u001b[${codes[name]}m${text}\u001b[0m` : text)) as Style;
  paint.ok = (text) => paint("green", text);
  paint.warn = (text) => paint("yellow", text);
  paint.fail = (text) => paint("red", text);
  return paint;
}

export function shouldColor(env: Record<string, string | undefined>, stdoutIsTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stdoutIsTTY && env.TERM !== "dumb";
}
