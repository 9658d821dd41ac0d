/**
 * The real `doctor --json` for `logs export`: runs the doctor command in-process with its output captured, so the
 * report holds exactly what a user would see, with the same configuration directory and overrides.
 */
import { PassThrough, Readable } from "node:stream";
import type { HostContext } from "../../context.ts";
import { DoctorUnavailable, type DoctorReport } from "./export-logs.ts";

const NOT_AVAILABLE = "FH0000";

export function inProcessDoctor(context: HostContext, timeoutMs = 60_000): DoctorReport {
  return async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    const child: HostContext = {
      ...context,
      stdin: Readable.from([]),
      stdout: out,
      stderr: new PassThrough().resume(),
      isTTY: { stdin: false, stdout: false, stderr: false },
      output: { json: true, verbose: false, quiet: true, color: false },
    };
    // Loaded at call time: main.ts imports every command, this one included.
    const { buildCli } = (await import("../../main.ts")) as { buildCli: () => { run(argv: string[], c: HostContext): Promise<number> } };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`doctor did not finish within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    });
    try {
      await Promise.race([buildCli().run(["doctor", "--json"], child), timeout]);
    } finally {
      clearTimeout(timer);
    }
    const text = Buffer.concat(chunks).toString("utf8").trim();
    const envelope = JSON.parse(text.split("\n").pop() ?? "{}") as { ok?: boolean; error?: { code?: string } };
    if (envelope.ok === false && envelope.error?.code === NOT_AVAILABLE) throw new DoctorUnavailable("doctor is not available in this build.");
    return envelope;
  };
}
