/** What the service commands ask for and report, whatever the platform's service manager. */
import type { CommandRunner } from "./runner.ts";
import type { WriteOutcome } from "./managed-file.ts";
import type { ServiceScope } from "./systemd-unit.ts";

export type ServicePlatform = "systemd" | "launchd" | "windows";

/** The machine as the service code sees it; tests give a temp root, fake tools and a chosen platform. */
export interface ServiceHost {
  platform: ServicePlatform;
  isRoot: boolean;
  run: CommandRunner;
  env: Record<string, string | undefined>;
  /** The invoking user's home directory and name (per-user units). */
  homeDir: string;
  username: string;
  uid: number;
  exists(path: string): boolean;
}

export interface ServiceTarget {
  scope?: ServiceScope;
  /** Where unit files go (tests; unusual layouts). */
  unitDir?: string;
}

export interface InstallRequest extends ServiceTarget {
  /** The host's state directory for the service (FABSTIR_HOME). */
  home: string;
  logsDir: string;
  /** Program and arguments that run the host in the foreground. */
  execStart: string[];
  /** A file holding the keystore password, to hand to the service as a credential. Never read into memory here. */
  passwordFile?: string;
  /** System scope: where the credential file lives. */
  credentialFile?: string;
  restartSec?: number;
  /** Start (or restart) it now; default true. */
  start?: boolean;
  /** System scope: the account to run as. */
  serviceUser?: string;
}

/** A warning of an install or uninstall: its stable code (src/errors/codes/warnings.ts) and what to do about it. */
export interface ServiceWarning {
  code: string;
  message: string;
}

export interface InstallResult {
  platform: ServicePlatform;
  scope: ServiceScope;
  home: string;
  user: string | null;
  files: WriteOutcome[];
  warnings: ServiceWarning[];
  commands: string[];
  started: boolean;
}

export interface UninstallRequest extends ServiceTarget {
  /** Remove unit files even if edited by hand. */
  force?: boolean;
}

export interface UninstallResult {
  platform: ServicePlatform;
  scope: ServiceScope;
  removed: string[];
  kept: string[];
  warnings: ServiceWarning[];
  commands: string[];
}

export interface ServiceStatus {
  platform: ServicePlatform;
  scope: ServiceScope;
  installed: boolean;
  unitPath: string;
  /** Our unit file was changed by hand (updates will leave it alone). */
  edited: boolean;
  enabled: boolean | null;
  active: boolean | null;
  /** The service manager's own words (active/running, inactive/dead, failed …). */
  state: string | null;
  mainPid: number | null;
  restarts: number | null;
  since: string | null;
}

/** What is known of a service before its manager is asked: where its file is and whether it was edited, nothing more. */
export function fileOnlyStatus(known: Pick<ServiceStatus, "platform" | "scope" | "installed" | "unitPath" | "edited">): ServiceStatus {
  return { ...known, enabled: null, active: null, state: null, mainPid: null, restarts: null, since: null };
}
