/**
 * Error codes are declared once, per domain, with their documentation. TROUBLESHOOTING.md is generated from these
 * declarations and a test checks that every code used in the source is declared and documented.
 */
export interface ErrorCode {
  /** Stable identifier shown to users, e.g. "FH0001". Never renumber or reuse. */
  code: string;
  /** Short name for the docs. */
  title: string;
  /** usage and operational errors fail the command (exit 2 and 1); a warning is reported and the command goes on. */
  kind: "usage" | "operational" | "warning";
  /** Default hint ("Try: …") when the throw site gives none. */
  hint?: string;
  /** What usually causes it (docs). */
  cause: string;
  /** How to fix it (docs). */
  fix: string;
}

export function defineCodes<T extends Record<string, ErrorCode>>(codes: T): T {
  for (const [name, entry] of Object.entries(codes)) {
    if (!/^FH\d{4}$/.test(entry.code)) throw new Error(`error code ${name} has a malformed code ${entry.code}`);
  }
  return codes;
}
