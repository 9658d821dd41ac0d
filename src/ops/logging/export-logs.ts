/**
 * `logs export`: one tar.gz to attach to a bug report. Holds the logs (every line through the redactor again, in case
 * a secret was registered after it was written), config.json (nothing secret lives there, but it is redacted all
 * the same), the `doctor --json` report, and a manifest saying what this build is.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { create as createTar } from "tar";
import type { Paths } from "../../config/paths.ts";
import { diskWriteError } from "../../config/disk-errors.ts";
import { maskEnvCredentials, maskUrl, redact, redactStrict, redactValue } from "../../util/redact.ts";
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";
import { listLogSources, readSourceText } from "./read-logs.ts";

/** Produces the `doctor --json` report; throws DoctorUnavailable when this build has no doctor. */
export type DoctorReport = () => Promise<unknown>;

export class DoctorUnavailable extends Error {}

export interface ExportLogsOptions {
  paths: Paths;
  outFile: string;
  now: number;
  build: { version: string; commit: string };
  doctor?: DoctorReport;
}

export interface ExportLogsResult {
  file: string;
  bytes: number;
  logFiles: string[];
  config: boolean;
  doctor: "included" | "unavailable" | "failed";
}

const FOLDER = "fabstir-host-report";

/** Webhook URLs (Slack, Discord, Telegram) are credentials in themselves: keep only where they point. */
/**
 * Where the webhook and the RPC endpoints point, without the tokens and API keys their URLs carry; and the node's
 * environment without the values of its credential-named variables (BRAVE_API_KEY …).
 */
function maskUrls(config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  const node = config.node as Record<string, unknown> | undefined;
  if (node?.extraEnv) out.node = { ...node, extraEnv: maskEnvCredentials(node.extraEnv) };
  const alerts = config.alerts as Record<string, unknown> | undefined;
  if (alerts && typeof alerts.webhookUrl === "string") out.alerts = { ...alerts, webhookUrl: maskUrl(alerts.webhookUrl) };
  if (Array.isArray(config.rpcUrls)) out.rpcUrls = config.rpcUrls.map((url) => (typeof url === "string" ? maskUrl(url) : url));
  return out;
}

/** config.json never holds a hash, so every 32-byte hex in it is masked too (a key pasted by hand into a field). */
function redactedConfig(configFile: string): string | undefined {
  if (!existsSync(configFile)) return undefined;
  const raw = readFileSync(configFile, "utf8");
  try {
    return redactStrict(JSON.stringify(redactValue(maskUrls(JSON.parse(raw) as Record<string, unknown>)), null, 2)) + "\n";
  } catch {
    return redactStrict(raw); // unparseable: still useful to see, still redacted
  }
}

async function doctorSection(doctor: DoctorReport | undefined): Promise<{ file: string; text: string; status: ExportLogsResult["doctor"] }> {
  if (!doctor) return { file: "doctor-unavailable.txt", text: "doctor is not available in this build.\n", status: "unavailable" };
  try {
    const report = await doctor();
    return { file: "doctor.json", text: redact(JSON.stringify(redactValue(report), null, 2)) + "\n", status: "included" };
  } catch (error) {
    if (error instanceof DoctorUnavailable) return { file: "doctor-unavailable.txt", text: `${error.message}\n`, status: "unavailable" };
    return { file: "doctor-failed.txt", text: redact(`doctor --json failed: ${(error as Error).message}\n`), status: "failed" };
  }
}

export async function exportLogs(options: ExportLogsOptions): Promise<ExportLogsResult> {
  const staging = mkdtempSync(join(tmpdir(), "fabstir-export-"));
  try {
    const root = join(staging, FOLDER);
    mkdirSync(join(root, "logs"), { recursive: true, mode: 0o700 });
    const logFiles: string[] = [];
    for (const sources of listLogSources(options.paths.logsDir).values()) {
      for (const source of sources) {
        // Compressed segments are stored decompressed: the archive is compressed as a whole anyway.
        const name = source.name.gzip ? source.file.replace(/\.gz$/, "") : source.file;
        const text = readSourceText(source)
          .split("\n")
          .map((line) => redact(line))
          .join("\n");
        writeFileSync(join(root, "logs", name), text, { mode: 0o600 });
        logFiles.push(`logs/${name}`);
      }
    }
    const config = redactedConfig(options.paths.configFile);
    if (config !== undefined) writeFileSync(join(root, "config.json"), config, { mode: 0o600 });
    const doctor = await doctorSection(options.doctor);
    writeFileSync(join(root, doctor.file), doctor.text, { mode: 0o600 });
    const manifest = {
      createdAt: new Date(options.now).toISOString(),
      version: options.build.version,
      commit: options.build.commit,
      platform: process.platform,
      arch: process.arch,
      bun: typeof Bun !== "undefined" ? Bun.version : null,
      files: [...logFiles, ...(config !== undefined ? ["config.json"] : []), doctor.file],
    };
    writeFileSync(join(root, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600 });

    try {
      mkdirSync(dirname(options.outFile), { recursive: true });
      await createTar({ gzip: true, file: options.outFile, cwd: staging, portable: true }, [FOLDER]);
      chmodSync(options.outFile, 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A full or read-only disk has its own fix; say which.
      if (code === "ENOSPC" || code === "EDQUOT" || code === "EROFS") throw diskWriteError(options.outFile, error, "nothing was exported");
      throw new HostError(OpsErrors.LOGS_EXPORT_FAILED, `Could not write ${options.outFile}: ${(error as Error).message}`, { cause: error });
    }
    return { file: options.outFile, bytes: statSync(options.outFile).size, logFiles, config: config !== undefined, doctor: doctor.status };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
