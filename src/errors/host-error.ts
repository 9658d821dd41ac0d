/**
 * The one error type users see. Every failure the CLI reports carries a stable code (FHxxxx, never renumbered),
 * a one-line message, a hint that starts with what to try, and the underlying cause for the log.
 */
import type { ErrorCode } from "./codes/define.ts";

export type ExitKind = "usage" | "operational";

export interface HostErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Extra structured facts for `--json` consumers (never secrets). */
  details?: Record<string, unknown>;
}

export class HostError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: HostErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HostError";
    this.code = code.code;
    this.hint = options.hint ?? code.hint;
    this.details = options.details;
    this.exitCode = code.kind === "usage" ? 2 : 1;
  }
}

export function isHostError(value: unknown): value is HostError {
  return value instanceof HostError;
}
