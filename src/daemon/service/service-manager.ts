/** One entry point per service command, whatever the platform: systemd (Linux), launchd (macOS), Task Scheduler (Windows). */
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { userInfo } from "node:os";
import type { HostContext } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";
import { spawnRunner } from "./runner.ts";
import { installSystemd, systemdStatus, uninstallSystemd } from "./systemd-service.ts";
import { installLaunchd, launchdStatus, uninstallLaunchd } from "./launchd-service.ts";
import { installWindows, uninstallWindows, windowsStatus } from "./windows-service.ts";
import type {
  InstallRequest,
  InstallResult,
  ServiceHost,
  ServicePlatform,
  ServiceStatus,
  ServiceTarget,
  UninstallRequest,
  UninstallResult,
} from "./service-types.ts";

export function platformFor(os: NodeJS.Platform): ServicePlatform {
  if (os === "linux") return "systemd";
  if (os === "darwin") return "launchd";
  if (os === "win32") return "windows";
  throw new HostError(OpsErrors.SERVICE_UNSUPPORTED, `No supported service manager on ${os}.`);
}

declare module "../../context.ts" {
  interface HostServices {
    /** Facts of the machine the service is installed on, where they differ from this one's (tests of other platforms). */
    serviceHost?: Partial<ServiceHost>;
    /** The command line the service runs, instead of this binary's `start` (tests run the source). */
    serviceExecStart?: string[];
  }
}

/** The real machine, with what the `serviceHost` service says instead. */
export function serviceHostFor(context: HostContext): ServiceHost {
  const given = context.services.serviceHost ?? {};
  let username = context.env.USER ?? context.env.USERNAME ?? "";
  let uid = typeof process.getuid === "function" ? process.getuid() : -1;
  try {
    const info = userInfo();
    username ||= info.username;
    uid = info.uid;
  } catch {
    // No passwd entry (containers): keep what the environment says.
  }
  return {
    platform: given.platform ?? platformFor(process.platform),
    isRoot: given.isRoot ?? uid === 0,
    run: given.run ?? spawnRunner(context.spawn, context.env),
    env: given.env ?? context.env,
    homeDir: given.homeDir ?? context.homeDir,
    username: given.username ?? username,
    uid: given.uid ?? uid,
    exists: given.exists ?? existsSync,
  };
}

/** How the service starts the host: the compiled binary, or bun with this source tree's entry point. */
export function defaultExecStart(): string[] {
  const runtime = process.execPath;
  const script = process.argv[1];
  if (/^bun(\.exe)?$/i.test(basename(runtime)) && script && /\.(ts|js)$/.test(script)) return [runtime, resolve(script), "start"];
  return [runtime, "start"];
}

export async function installService(host: ServiceHost, request: InstallRequest): Promise<InstallResult> {
  if (host.platform === "systemd") return installSystemd(host, request);
  if (host.platform === "launchd") return installLaunchd(host, request);
  return installWindows(host, request);
}

export async function uninstallService(host: ServiceHost, request: UninstallRequest & { home: string }): Promise<UninstallResult> {
  if (host.platform === "systemd") return uninstallSystemd(host, request);
  if (host.platform === "launchd") return uninstallLaunchd(host, request);
  return uninstallWindows(host, request);
}

export async function serviceStatus(host: ServiceHost, target: ServiceTarget & { home: string }): Promise<ServiceStatus> {
  if (host.platform === "systemd") return systemdStatus(host, target);
  if (host.platform === "launchd") return launchdStatus(host, target);
  return windowsStatus(host, target);
}
