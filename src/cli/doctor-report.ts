/**
 * The real `doctor --json` for `logs export`: the doctor command run through the command line the export runs in
 * (clipanion's `this.cli.run`, with a partial context that captures its output), so the report holds exactly what a
 * user would see, with the same configuration directory.
 */
import { PassThrough, Readable } from "node:stream";
import type { HostContext } from "../context.ts";
import { DoctorUnavailable, type DoctorReport } from "../ops/logging/export-logs.ts";

const NOT_AVAILABLE = "FH0000";

export type RunCommand = (argv: string[], context: Partial<HostContext>) => Promise<number>;

export function doctorReportThrough(run: RunCommand, timeoutMs = 60_000): DoctorReport {
  return async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    const capture: Partial<HostContext> = {
      stdin: Readable.from([]),
      stdout: out,
      stderr: new PassThrough().resume(),
      isTTY: { stdin: false, stdout: false, stderr: false },
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`doctor did not finish within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    });
    try {
      await Promise.race([run(["doctor", "--json"], capture), timeout]);
    } finally {
      clearTimeout(timer);
    }
    const text = Buffer.concat(chunks).toString("utf8").trim();
    const envelope = JSON.parse(text.split("\n").pop() ?? "{}") as { ok?: boolean; error?: { code?: string } };
    if (envelope.ok === false && envelope.error?.code === NOT_AVAILABLE) throw new DoctorUnavailable("doctor is not available in this build.");
    return envelope;
  };
}
