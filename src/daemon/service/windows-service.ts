/** Windows: a Task Scheduler task registered from XML with schtasks. */
import { existsSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";
import { commandLine } from "./runner.ts";
import { managedState, readText, writeManaged } from "./managed-file.ts";
import { WINDOWS_TASK_NAME, renderWindowsTask } from "./windows-task.ts";
import type { InstallRequest, InstallResult, ServiceHost, ServiceStatus, ServiceTarget, UninstallRequest, UninstallResult } from "./service-types.ts";
import { fileOnlyStatus } from "./service-types.ts";
import { editedWarning } from "./service-warnings.ts";

const taskFile = (home: string, target: ServiceTarget) => join(target.unitDir ?? join(home, "service"), `${WINDOWS_TASK_NAME}.xml`);

async function schtasks(host: ServiceHost, log: string[], args: string[], allowFailure = false): Promise<string> {
  log.push(commandLine("schtasks", args));
  const result = await host.run("schtasks", args);
  if (result.code !== 0 && !allowFailure) {
    throw new HostError(OpsErrors.SERVICE_COMMAND_FAILED, `schtasks ${args[0]} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`);
  }
  return result.stdout;
}

export async function installWindows(host: ServiceHost, request: InstallRequest): Promise<InstallResult> {
  const scope = request.scope ?? (host.isRoot ? "system" : "user");
  const log: string[] = [];
  const [command, ...args] = request.execStart;
  // A task has no environment block: the state directory goes on the command line instead of FABSTIR_HOME.
  const xml = renderWindowsTask({
    scope,
    command: command!,
    arguments: [...args, "--config-dir", request.home],
    home: request.home,
    userId: scope === "user" ? `${host.env.USERDOMAIN ?? "."}\\${host.username}` : undefined,
  });
  const path = taskFile(request.home, request);
  const file = writeManaged(path, xml, "utf16le");
  const warnings = file.action === "kept-edited" ? [editedWarning(`${path} was changed by hand; it was registered as it is.`)] : [];
  await schtasks(host, log, ["/Create", "/TN", WINDOWS_TASK_NAME, "/XML", path, "/F"]);
  if (request.start !== false) await schtasks(host, log, ["/Run", "/TN", WINDOWS_TASK_NAME]);
  return { platform: "windows", scope, home: request.home, user: null, files: [file], warnings, commands: log, started: request.start !== false };
}

export async function uninstallWindows(host: ServiceHost, request: UninstallRequest & { home: string }): Promise<UninstallResult> {
  const log: string[] = [];
  const query = await host.run("schtasks", ["/Query", "/TN", WINDOWS_TASK_NAME]);
  if (query.code !== 0) throw new HostError(OpsErrors.SERVICE_NOT_INSTALLED, "No fabstir-host scheduled task is registered.");
  await schtasks(host, log, ["/End", "/TN", WINDOWS_TASK_NAME], true);
  await schtasks(host, log, ["/Delete", "/TN", WINDOWS_TASK_NAME, "/F"]);
  const path = taskFile(request.home, request);
  const removed: string[] = [];
  if (existsSync(path) && (request.force || managedState(readText(path, "utf16le")) === "ours")) {
    unlinkSync(path);
    removed.push(path);
  }
  return { platform: "windows", scope: request.scope ?? "user", removed, kept: [], warnings: [], commands: log };
}

export async function windowsStatus(host: ServiceHost, target: ServiceTarget & { home: string }): Promise<ServiceStatus> {
  const path = taskFile(target.home, target);
  const base = fileOnlyStatus({
    platform: "windows",
    scope: target.scope ?? "user",
    installed: false,
    unitPath: path,
    edited: managedState(readText(path, "utf16le")) === "edited",
  });
  const query = await host.run("schtasks", ["/Query", "/TN", WINDOWS_TASK_NAME, "/FO", "LIST", "/V"]);
  if (query.code !== 0) return base;
  const status = /^Status:\s*(.+)$/m.exec(query.stdout)?.[1]?.trim() ?? null;
  const scheduled = /^Scheduled Task State:\s*(.+)$/m.exec(query.stdout)?.[1]?.trim();
  return { ...base, installed: true, enabled: scheduled ? scheduled === "Enabled" : null, active: status === "Running", state: status };
}
