/**
 * Runs doctor checks concurrently, each under a timeout; a check that throws or hangs becomes a "fail" line
 * instead of taking the whole report down.
 */
import { isHostError } from "../errors/host-error.ts";
import type { CheckOutcome, CheckResult, CheckStatus, DoctorCheck, DoctorContext, DoctorReport } from "./types.ts";
import { doctorChecks } from "./registry.ts";
import { fixFromHint } from "./fix-text.ts";

export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;

export interface RunDoctorOptions {
  /** The checks to run; defaults to the built-in ones plus every registerDoctorCheck() addition. */
  checks?: DoctorCheck[];
  /** Added after `checks` (same id replaces). */
  extraChecks?: DoctorCheck[];
  /** Only these ids. */
  only?: string[];
  timeoutMs?: number;
}

async function runOne(check: DoctorCheck, ctx: DoctorContext, timeoutMs: number): Promise<CheckOutcome> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = check.timeoutMs ?? timeoutMs;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          status: "fail",
          summary: `no answer within ${Math.round(limit / 1000)} s`,
          fix: "Run `fabstir-host doctor --verbose` again; a hung driver or network is the usual cause.",
        }),
      limit,
    );
  });
  let result: CheckResult;
  try {
    result = await Promise.race([check.run(ctx), timeout]);
  } catch (error) {
    result = isHostError(error)
      ? { status: "fail", summary: `${error.message} (${error.code})`, fix: fixFromHint(error.hint) }
      : { status: "fail", summary: `check crashed: ${(error as Error).message ?? String(error)}` };
  } finally {
    clearTimeout(timer);
  }
  return { id: check.id, title: check.title, ...result, durationMs: Date.now() - started };
}

export function mergeChecks(base: DoctorCheck[], extra: DoctorCheck[]): DoctorCheck[] {
  const merged = [...base];
  for (const check of extra) {
    const at = merged.findIndex((c) => c.id === check.id);
    if (at >= 0) merged[at] = check;
    else merged.push(check);
  }
  return merged;
}

export async function runDoctor(ctx: DoctorContext, options: RunDoctorOptions = {}): Promise<DoctorReport> {
  let checks = mergeChecks(options.checks ?? doctorChecks(), options.extraChecks ?? []);
  if (options.only?.length) checks = checks.filter((c) => options.only!.includes(c.id));
  const outcomes = await Promise.all(checks.map((check) => runOne(check, ctx, options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS)));
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return { healthy: counts.fail === 0, counts, checks: outcomes };
}
