/**
 * How results and failures leave a command. One JSON envelope for every command:
 *   {"ok":true,"data":…}   or   {"ok":false,"error":{"code","message","hint"}}
 * Data goes to stdout, diagnostics to stderr. Everything passes the redactor on its way out.
 */
import type { HostContext } from "../context.ts";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { redact, redactValue } from "../util/redact.ts";
import { styleFor } from "./style.ts";
import { reportedWarnings, reportInfo } from "../util/report.ts";

export function writeOut(context: HostContext, text: string): void {
  context.stdout.write(redact(text));
}

/** Progress and notes for a person; silent with --quiet and in --json mode (the reporter's info line). */
export function note(context: HostContext, text: string): void {
  reportInfo(context, text);
}

export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Writes a command's result: the envelope in --json mode, else whatever `text()` renders. */
export function writeResult(context: HostContext, data: unknown, text: () => string): void {
  if (context.output.json) {
    const warnings = reportedWarnings(context);
    const envelope = warnings.length > 0 ? { ok: true, data: redactValue(data), warnings } : { ok: true, data: redactValue(data) };
    context.stdout.write(JSON.stringify(envelope, jsonReplacer) + "\n");
    return;
  }
  const rendered = text();
  if (rendered) writeOut(context, rendered.endsWith("\n") ? rendered : `${rendered}\n`);
}

function toHostError(error: unknown): HostError {
  if (error instanceof HostError) return error;
  // clipanion's own usage errors (a validator refusing an option value) are usage errors, not crashes.
  if (error instanceof Error && (error.name === "UsageError" || (error as { clipanion?: { type?: string } }).clipanion?.type === "usage")) {
    return new HostError(CoreErrors.USAGE, error.message.split("\n")[0]!, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new HostError(CoreErrors.INTERNAL, `Unexpected error: ${message}`, { cause: error });
}

/** Reports a failure and returns the exit code (2 usage, 1 operational). */
export function reportError(context: HostContext, error: unknown): number {
  const hostError = toHostError(error);
  const logPath = context.logger.filePath;
  context.logger.error(hostError.message, {
    code: hostError.code,
    cause: hostError.cause instanceof Error ? { message: hostError.cause.message, stack: hostError.cause.stack } : hostError.cause,
    stack: hostError.stack,
  });
  if (context.output.json) {
    const body: Record<string, unknown> = { code: hostError.code, message: hostError.message, hint: hostError.hint ?? null };
    if (hostError.details) body.details = hostError.details;
    if (logPath) body.log = logPath;
    context.stdout.write(JSON.stringify({ ok: false, error: redactValue(body) }, jsonReplacer) + "\n");
    return hostError.exitCode;
  }
  const style = styleFor(context.output);
  const lines = [`${style.fail(`error ${hostError.code}`)}: ${hostError.message}`];
  if (hostError.hint) lines.push(`  ${hostError.hint}`);
  const unexpected = hostError.code === CoreErrors.INTERNAL.code;
  if (logPath && (unexpected || context.output.verbose)) lines.push(`  Log: ${logPath}`);
  if (context.output.verbose) {
    const cause = hostError.cause instanceof Error ? hostError.cause : hostError;
    if (cause.stack) lines.push(cause.stack);
  }
  context.stderr.write(redact(lines.join("\n") + "\n"));
  return hostError.exitCode;
}
