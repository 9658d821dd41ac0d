/** `self-update --check`: what is installed, what is published, and how to get it. Changes nothing. */
import semver from "semver";
import { detectInstallChannel, nodeChannelFs, type InstallChannel } from "./channel.ts";
import { fetchLatestRelease, normalizeVersion, resolveReleaseSource, type FetchOptions } from "./release-source.ts";
import { readPendingUpdate } from "./pending.ts";
import type { UpdateCheck, UpdateDeps } from "./types.ts";

export const INSTALL_SCRIPT_COMMAND = "curl -fsSL https://github.com/fabstir/fabstir-host/releases/latest/download/install.sh | sh";

export function updateCommandFor(channel: InstallChannel): string {
  switch (channel) {
    case "source":
      return "git pull && bun install";
    case "unknown":
      return INSTALL_SCRIPT_COMMAND;
    default:
      return "fabstir-host self-update";
  }
}

/** Is `latest` newer than `current`? Unparseable versions never count as an update. */
export function isNewer(latest: string, current: string): boolean {
  const a = normalizeVersion(latest);
  const b = normalizeVersion(current);
  return !!a && !!b && semver.gt(a, b);
}

export async function checkForUpdate(
  deps: Pick<UpdateDeps, "paths" | "env" | "fetch" | "currentVersion" | "execPath" | "channelFs" | "platform" | "userAgent">,
  options: FetchOptions = {},
): Promise<UpdateCheck> {
  const info = detectInstallChannel(deps.execPath, deps.env, deps.channelFs ?? nodeChannelFs, { platform: deps.platform });
  const source = resolveReleaseSource(deps.env, info.receipt);
  const latest = await fetchLatestRelease(deps.fetch, source, { userAgent: deps.userAgent, ...options });
  const current = normalizeVersion(deps.currentVersion) ?? deps.currentVersion;
  const pending = readPendingUpdate(deps.paths);
  return {
    channel: info.channel,
    current,
    latest: latest.version,
    updateAvailable: isNewer(latest.version, current),
    date: latest.date,
    notes: latest.notes,
    command: updateCommandFor(info.channel),
    pending: pending ? { version: pending.version, stagedAt: pending.stagedAt } : null,
  };
}
