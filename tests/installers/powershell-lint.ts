/**
 * Just enough of a PowerShell reader to lint install.ps1 where no PowerShell is installed: it blanks out comments
 * and string contents (keeping code inside "$( … )" subexpressions) so the remaining code can be checked for
 * balanced brackets and for the commands it calls.
 */

export interface StrippedScript {
  code: string;
  /** Problems found while reading: unterminated strings or comments. */
  problems: string[];
}

/** Returns the index just past a `$( … )` subexpression that starts at `start` (pointing at `$`). */
function skipSubexpression(text: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      i = text.indexOf("'", i + 1);
      if (i < 0) return text.length;
    } else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i + 1;
  }
  return text.length;
}

export function stripPowerShell(text: string): StrippedScript {
  const problems: string[] = [];
  let code = "";
  let i = 0;
  const blank = (from: number, to: number) => text.slice(from, to).replace(/[^\n]/g, " ");
  while (i < text.length) {
    const rest = text.slice(i, i + 2);
    if (rest === "<#") {
      const end = text.indexOf("#>", i + 2);
      if (end < 0) return { code, problems: [...problems, "unterminated block comment"] };
      code += blank(i, end + 2);
      i = end + 2;
    } else if (rest === "@'" || rest === '@"') {
      const close = `\n${rest[1]}@`;
      const end = text.indexOf(close, i + 2);
      if (end < 0) return { code, problems: [...problems, "unterminated here-string"] };
      code += `@${rest[1]}${blank(i + 2, end + 1)}${rest[1]}@`;
      i = end + close.length;
    } else if (text[i] === "#") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      code += blank(i, stop);
      i = stop;
    } else if (text[i] === "'") {
      let j = i + 1;
      for (;;) {
        j = text.indexOf("'", j);
        if (j < 0) return { code, problems: [...problems, `unterminated string at ${i}`] };
        if (text[j + 1] === "'") j += 2;
        else break;
      }
      code += `'${blank(i + 1, j)}'`;
      i = j + 1;
    } else if (text[i] === '"') {
      let j = i + 1;
      code += '"';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "`") {
          code += "  ";
          j += 2;
        } else if (text.startsWith("$(", j)) {
          const end = skipSubexpression(text, j);
          code += stripPowerShell(text.slice(j, end)).code;
          j = end;
        } else {
          code += text[j] === "\n" ? "\n" : " ";
          j++;
        }
      }
      if (j >= text.length) return { code, problems: [...problems, `unterminated string at ${i}`] };
      code += '"';
      i = j + 1;
    } else {
      code += text[i];
      i++;
    }
  }
  return { code, problems };
}

/** Unbalanced or mismatched (), {}, [] in stripped code, with line numbers. */
export function bracketProblems(code: string): string[] {
  const pairs: Record<string, string> = { ")": "(", "}": "{", "]": "[" };
  const stack: { ch: string; line: number }[] = [];
  const problems: string[] = [];
  let line = 1;
  for (const ch of code) {
    if (ch === "\n") line++;
    else if (ch === "(" || ch === "{" || ch === "[") stack.push({ ch, line });
    else if (ch in pairs) {
      const open = stack.pop();
      if (open?.ch !== pairs[ch]) problems.push(`line ${line}: '${ch}' does not close ${open ? `'${open.ch}' from line ${open.line}` : "anything"}`);
    }
  }
  for (const open of stack) problems.push(`line ${open.line}: '${open.ch}' is never closed`);
  return problems;
}

/** Verb-Noun command names used in stripped code (function calls and cmdlets alike). */
export function commandNames(code: string): Set<string> {
  return new Set(code.match(/(?<![\w$.-])[A-Z][a-z]+-[A-Z][A-Za-z0-9]+(?![\w-])/g) ?? []);
}

/** Names of the functions a script defines. */
export function definedFunctions(code: string): string[] {
  return [...code.matchAll(/^\s*function\s+([\w-]+)/gm)].map((match) => match[1]!);
}
