/** Installing, removing and inspecting the systemd service (system-wide as root, else a per-user unit). */
import { copyFileSync, chmodSync, existsSync, mkdirSync, readdirSync, rmdirSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";
import { commandLine } from "./runner.ts";
import { managedState, readText, writeManaged, type WriteOutcome } from "./managed-file.ts";
import { DEFAULT_CREDENTIAL_FILE, DROP_IN_NAME, UNIT_NAME, renderSystemdDropIn, renderSystemdUnit, type ServiceScope } from "./systemd-unit.ts";
import { closeNodePortAdvice } from "../../node/facts/node-behaviour.ts";
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
import { editedWarning, setupWarning } from "./service-warnings.ts";

export const DEFAULT_SERVICE_USER = "fabstir";
const NVIDIA_MODPROBE = "/usr/bin/nvidia-modprobe";

export function systemdScope(host: ServiceHost, target: ServiceTarget): ServiceScope {
  const scope = target.scope ?? (host.isRoot ? "system" : "user");
  if (scope === "system" && !host.isRoot && !target.unitDir) {
    throw new HostError(OpsErrors.SERVICE_NEEDS_ROOT, "Installing a system-wide service needs root.", {
      hint: "Try: sudo fabstir-host service install --system (or leave out --system for a per-user service)",
    });
  }
  return scope;
}

export function systemdUnitDir(host: ServiceHost, scope: ServiceScope, override?: string): string {
  if (override) return override;
  if (scope === "system") return "/etc/systemd/system";
  return join(host.env.XDG_CONFIG_HOME || join(host.homeDir, ".config"), "systemd", "user");
}

function unitPaths(dir: string) {
  return { unit: join(dir, UNIT_NAME), dropIn: join(dir, `${UNIT_NAME}.d`, DROP_IN_NAME) };
}

/** Runs a tool; a failure becomes a HostError quoting its output (commands never carry secrets). */
async function must(host: ServiceHost, log: string[], command: string, args: string[]): Promise<string> {
  log.push(commandLine(command, args));
  const result = await host.run(command, args);
  if (result.code === 127) {
    throw new HostError(OpsErrors.SERVICE_UNSUPPORTED, `\`${command}\` was not found: this system does not look like it runs systemd.`);
  }
  if (result.code !== 0) {
    const output = (result.stderr || result.stdout).trim().split("\n").slice(-3).join(" ");
    throw new HostError(OpsErrors.SERVICE_COMMAND_FAILED, `\`${commandLine(command, args)}\` failed (exit ${result.code}): ${output || "no output"}`);
  }
  return result.stdout;
}

function userFlag(scope: ServiceScope): string[] {
  return scope === "user" ? ["--user"] : [];
}

function writeOrFail(path: string, content: string): WriteOutcome {
  try {
    return writeManaged(path, content);
  } catch (error) {
    throw new HostError(OpsErrors.SERVICE_WRITE_FAILED, `Could not write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function ensureServiceUser(host: ServiceHost, user: string, home: string, log: string[]): Promise<void> {
  log.push(commandLine("id", ["-u", user]));
  if ((await host.run("id", ["-u", user])).code === 0) return;
  await must(host, log, "useradd", ["--system", "--user-group", "--home-dir", home, "--no-create-home", "--shell", "/usr/sbin/nologin", user]);
}

export async function installSystemd(host: ServiceHost, request: InstallRequest): Promise<InstallResult> {
  const scope = systemdScope(host, request);
  const paths = unitPaths(systemdUnitDir(host, scope, request.unitDir));
  const log: string[] = [];
  const warnings: ServiceWarning[] = [];
  await must(host, log, "systemctl", ["--version"]);
  const user = scope === "system" ? (request.serviceUser ?? DEFAULT_SERVICE_USER) : null;

  if (user) {
    await ensureServiceUser(host, user, request.home, log);
    mkdirSync(request.home, { recursive: true, mode: 0o700 });
    await must(host, log, "chown", ["-R", `${user}:${user}`, request.home]);
  }

  // The password file: as root, copied where only root reads it (systemd hands it to the service); per user, used in place.
  let credentialFile: string | null = null;
  if (scope === "system") {
    const target = request.credentialFile ?? DEFAULT_CREDENTIAL_FILE;
    if (request.passwordFile) {
      try {
        mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
        copyFileSync(request.passwordFile, target);
        chmodSync(target, 0o600);
      } catch (error) {
        throw new HostError(OpsErrors.SERVICE_WRITE_FAILED, `Could not copy the password file to ${target}: ${(error as Error).message}`, { cause: error });
      }
    }
    if (existsSync(target)) credentialFile = target;
    else
      warnings.push(
        setupWarning(
          `No password file at ${target}: if the wallet uses a keystore file, put its password there (mode 0600) and run \`fabstir-host service install\` again.`,
        ),
      );
  } else if (request.passwordFile) {
    credentialFile = request.passwordFile;
  }

  const files = [
    writeOrFail(
      paths.unit,
      renderSystemdUnit({
        scope,
        execStart: request.execStart,
        user: user ?? undefined,
        nvidiaModprobe: host.exists(NVIDIA_MODPROBE) ? NVIDIA_MODPROBE : null,
      }),
    ),
    writeOrFail(paths.dropIn, renderSystemdDropIn({ scope, home: request.home, restartSec: request.restartSec ?? 5, credentialFile })),
  ];
  for (const file of files) {
    if (file.action === "kept-edited") {
      warnings.push(
        editedWarning(
          `${file.path} was changed by hand, so it was left as it is. Move your changes to a drop-in (systemctl edit fabstir-host) and delete the file to get updates.`,
        ),
      );
    }
  }

  warnings.push(
    setupWarning(
      `The node listens on every address at node.internalPort (fabstir-host config get node.internalPort). ${closeNodePortAdvice("<node.internalPort>")}`,
    ),
  );

  const flag = userFlag(scope);
  await must(host, log, "systemctl", [...flag, "daemon-reload"]);
  const changed = files.some((file) => file.action === "created" || file.action === "updated");
  let started = false;
  if (request.start === false) {
    await must(host, log, "systemctl", [...flag, "enable", UNIT_NAME]);
  } else {
    // A running host picks up the new unit; a stopped one is started by enable --now.
    if (changed) await must(host, log, "systemctl", [...flag, "try-restart", UNIT_NAME]);
    await must(host, log, "systemctl", [...flag, "enable", "--now", UNIT_NAME]);
    started = true;
  }
  if (scope === "user") {
    // Without lingering, a per-user service stops at logout and does not start at boot.
    log.push(commandLine("loginctl", ["enable-linger", host.username]));
    const linger = await host.run("loginctl", ["enable-linger", host.username]);
    if (linger.code !== 0)
      warnings.push(
        setupWarning(
          `Could not enable lingering for ${host.username}: the service runs only while you are logged in. Fix: sudo loginctl enable-linger ${host.username}`,
        ),
      );
  }
  return { platform: "systemd", scope, home: request.home, user, files, warnings, commands: log, started };
}

export async function uninstallSystemd(host: ServiceHost, request: UninstallRequest): Promise<UninstallResult> {
  const scope = systemdScope(host, request);
  const dir = systemdUnitDir(host, scope, request.unitDir);
  const paths = unitPaths(dir);
  if (!existsSync(paths.unit) && !existsSync(paths.dropIn)) {
    throw new HostError(OpsErrors.SERVICE_NOT_INSTALLED, `No fabstir-host ${scope} service is installed (${paths.unit} does not exist).`);
  }
  const log: string[] = [];
  const flag = userFlag(scope);
  log.push(commandLine("systemctl", [...flag, "disable", "--now", UNIT_NAME]));
  await host.run("systemctl", [...flag, "disable", "--now", UNIT_NAME]); // fine if it was never enabled
  const removed: string[] = [];
  const kept: string[] = [];
  const warnings: ServiceWarning[] = [];
  for (const path of [paths.dropIn, paths.unit]) {
    if (!existsSync(path)) continue;
    if (managedState(readText(path)) === "edited" && !request.force) {
      kept.push(path);
      warnings.push(editedWarning(`${path} was changed by hand and was kept; remove it yourself or run again with --force.`));
      continue;
    }
    unlinkSync(path);
    removed.push(path);
  }
  const dropInDir = dirname(paths.dropIn);
  if (existsSync(dropInDir) && readdirSync(dropInDir).length === 0) rmdirSync(dropInDir);
  await must(host, log, "systemctl", [...flag, "daemon-reload"]);
  log.push(commandLine("systemctl", [...flag, "reset-failed", UNIT_NAME]));
  await host.run("systemctl", [...flag, "reset-failed", UNIT_NAME]);
  return { platform: "systemd", scope, removed, kept, warnings, commands: log };
}

function parseShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return out;
}

export async function systemdStatus(host: ServiceHost, target: ServiceTarget): Promise<ServiceStatus> {
  // Status reads only: a non-root user may look at the system unit.
  const systemPath = unitPaths(systemdUnitDir(host, "system", target.unitDir)).unit;
  const scope: ServiceScope = target.scope ?? (existsSync(systemPath) || host.isRoot ? "system" : "user");
  const unitPath = unitPaths(systemdUnitDir(host, scope, target.unitDir)).unit;
  const text = readText(unitPath);
  const base = fileOnlyStatus({
    platform: "systemd",
    scope,
    installed: text !== undefined,
    unitPath,
    edited: managedState(text) === "edited",
  });
  if (text === undefined) return base;
  const shown = await host.run("systemctl", [
    ...userFlag(scope),
    "show",
    UNIT_NAME,
    "--property=LoadState,ActiveState,SubState,UnitFileState,MainPID,NRestarts,ActiveEnterTimestamp",
  ]);
  if (shown.code !== 0) return base;
  const fields = parseShow(shown.stdout);
  const pid = Number(fields.MainPID);
  return {
    ...base,
    enabled: fields.UnitFileState ? fields.UnitFileState === "enabled" : null,
    active: fields.ActiveState ? fields.ActiveState === "active" : null,
    state: fields.ActiveState ? `${fields.ActiveState}${fields.SubState ? ` (${fields.SubState})` : ""}` : null,
    mainPid: Number.isFinite(pid) && pid > 0 ? pid : null,
    restarts: fields.NRestarts !== undefined && fields.NRestarts !== "" ? Number(fields.NRestarts) : null,
    since: fields.ActiveEnterTimestamp || null,
  };
}
