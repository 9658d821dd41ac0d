/**
 * One reporter for what a command tells a person besides its result (the model is Yarn's report): notes and progress
 * lines, and warnings with a code. Text goes to stderr through the redactor; --quiet silences notes but not warnings;
 * with --json nothing is written there, and the warnings travel in the envelope (`"warnings":[{code,message}]`).
 * Services reach it through the context they were given, so the command layer and the services report alike.
 */
import type { HostContext } from "../context.ts";
import type { ErrorCode } from "../errors/codes/define.ts";
import { redact } from "./redact.ts";

export interface ReportedWarning {
  code: string;
  message: string;
}

type ReportContext = Pick<HostContext, "stderr" | "output">;

/** Warnings of a run, kept for the JSON envelope; keyed by the run's context, so runs in one process stay apart. */
const collected = new WeakMap<object, ReportedWarning[]>();

function line(text: string): string {
  return redact(text.endsWith("\n") ? text : `${text}\n`);
}

export function reportInfo(context: ReportContext, text: string): void {
  if (context.output.quiet || context.output.json) return;
  context.stderr.write(line(text));
}

export function reportWarning(context: ReportContext, warning: Pick<ErrorCode, "code">, message: string): void {
  const entry = { code: warning.code, message: redact(message) };
  if (context.output.json) {
    const list = collected.get(context) ?? [];
    list.push(entry);
    collected.set(context, list);
    return;
  }
  context.stderr.write(line(`warning ${entry.code}: ${entry.message}`));
}

/** The warnings reported so far in this run (the JSON envelope carries them). */
export function reportedWarnings(context: object): ReportedWarning[] {
  return collected.get(context) ?? [];
}
