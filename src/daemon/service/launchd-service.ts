/** macOS: a per-user LaunchAgent, driven with launchctl bootstrap/bootout/print. */
import { existsSync, mkdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";
import { commandLine } from "./runner.ts";
import { managedState, readText, writeManaged } from "./managed-file.ts";
import { LAUNCHD_LABEL, renderLaunchdPlist } from "./launchd-plist.ts";
import type {
  InstallRequest,
  InstallResult,
  ServiceHost,
  ServiceStatus,
  ServiceTarget,
  UninstallRequest,
  UninstallResult,
  ServiceWarning,
} from "./service-types.ts";
import { fileOnlyStatus } from "./service-types.ts";
import { editedWarning } from "./service-warnings.ts";

function plistPath(host: ServiceHost, target: ServiceTarget): string {
  if (target.scope === "system") {
    throw new HostError(
      OpsErrors.SERVICE_UNSUPPORTED,
      "On macOS the host runs as a per-user LaunchAgent (GPU access and the keychain belong to a logged-in user).",
      {
        hint: "Try: fabstir-host service install (without --system)",
      },
    );
  }
  return join(target.unitDir ?? join(host.homeDir, "Library", "LaunchAgents"), `${LAUNCHD_LABEL}.plist`);
}

const domain = (host: ServiceHost) => `gui/${host.uid}`;

export async function installLaunchd(host: ServiceHost, request: InstallRequest): Promise<InstallResult> {
  const path = plistPath(host, request);
  const log: string[] = [];
  const warnings: ServiceWarning[] = [];
  mkdirSync(request.logsDir, { recursive: true, mode: 0o700 });
  const file = writeManaged(path, renderLaunchdPlist({ programArguments: request.execStart, home: request.home, logsDir: request.logsDir }));
  if (file.action === "kept-edited") warnings.push(editedWarning(`${path} was changed by hand, so it was left as it is; delete it to get updates.`));
  let started = false;
  if (request.start !== false) {
    log.push(commandLine("launchctl", ["bootout", `${domain(host)}/${LAUNCHD_LABEL}`]));
    await host.run("launchctl", ["bootout", `${domain(host)}/${LAUNCHD_LABEL}`]); // not loaded yet is fine
    log.push(commandLine("launchctl", ["bootstrap", domain(host), path]));
    const result = await host.run("launchctl", ["bootstrap", domain(host), path]);
    if (result.code !== 0) {
      throw new HostError(OpsErrors.SERVICE_COMMAND_FAILED, `launchctl bootstrap failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`);
    }
    started = true;
  }
  return { platform: "launchd", scope: "user", home: request.home, user: null, files: [file], warnings, commands: log, started };
}

export async function uninstallLaunchd(host: ServiceHost, request: UninstallRequest): Promise<UninstallResult> {
  const path = plistPath(host, request);
  if (!existsSync(path)) throw new HostError(OpsErrors.SERVICE_NOT_INSTALLED, `No fabstir-host LaunchAgent is installed (${path} does not exist).`);
  const log = [commandLine("launchctl", ["bootout", `${domain(host)}/${LAUNCHD_LABEL}`])];
  await host.run("launchctl", ["bootout", `${domain(host)}/${LAUNCHD_LABEL}`]);
  if (managedState(readText(path)) === "edited" && !request.force) {
    return {
      platform: "launchd",
      scope: "user",
      removed: [],
      kept: [path],
      warnings: [editedWarning(`${path} was changed by hand and was kept; run again with --force to remove it.`)],
      commands: log,
    };
  }
  unlinkSync(path);
  return { platform: "launchd", scope: "user", removed: [path], kept: [], warnings: [], commands: log };
}

export async function launchdStatus(host: ServiceHost, target: ServiceTarget): Promise<ServiceStatus> {
  const path = plistPath(host, { ...target, scope: "user" });
  const text = readText(path);
  const base = fileOnlyStatus({
    platform: "launchd",
    scope: "user",
    installed: text !== undefined,
    unitPath: path,
    edited: managedState(text) === "edited",
  });
  if (text === undefined) return base;
  const printed = await host.run("launchctl", ["print", `${domain(host)}/${LAUNCHD_LABEL}`]);
  if (printed.code !== 0) return { ...base, enabled: false, active: false, state: "not loaded" };
  const state = /^\s*state = (.+)$/m.exec(printed.stdout)?.[1]?.trim() ?? null;
  const pid = Number(/^\s*pid = (\d+)$/m.exec(printed.stdout)?.[1]);
  const runs = Number(/^\s*runs = (\d+)$/m.exec(printed.stdout)?.[1]);
  return {
    ...base,
    enabled: true,
    active: state === "running",
    state,
    mainPid: Number.isFinite(pid) ? pid : null,
    restarts: Number.isFinite(runs) ? Math.max(0, runs - 1) : null,
  };
}
