/**
 * `self-update`: updates fabstir-host through the channel that installed it. For the install script's binary:
 * learn the target version, download the platform's file and SHA256SUMS, verify, start the new binary once, then
 * rename it over the installed one (the old one kept as `.previous`), or stage it when a host runs from it.
 */
import { rmSync } from "node:fs";
import semver from "semver";
import { pathsFor } from "../config/paths.ts";
import { HostError } from "../errors/host-error.ts";
import { ShipErrors } from "../errors/codes/ship.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { detectInstallChannel, nodeChannelFs, type ChannelInfo } from "./channel.ts";
import { releasePublicKey } from "./release-signature.ts";
import { assetUrl, fetchChecksums, fetchLatestRelease, normalizeVersion, resolveReleaseSource } from "./release-source.ts";
import { chooseAsset, detectPlatformFacts } from "./platform-asset.ts";
import { assertWritableDir, downloadVerified, probeBinary, tempPathBeside } from "./download.ts";
import { installOver, previousPath } from "./swap.ts";
import {
  applyPendingUpdate,
  clearPendingUpdate,
  hostCanReplace,
  pendingUpdatePath,
  readPendingUpdate,
  runningHost,
  stageUpdate,
  type RunningHost,
} from "./pending.ts";
import { refreshReceipt } from "./receipt.ts";
import { packageManagerCommand } from "./package-manager.ts";
import type { UpdateDeps, UpdateRequest, UpdateResult } from "./types.ts";

/** The channel, refusing the ones self-update cannot serve (a source checkout, an unknown install). */
export function requireUpdatableChannel(deps: UpdateDeps): ChannelInfo {
  const info = detectInstallChannel(deps.execPath, deps.env, deps.channelFs ?? nodeChannelFs, { platform: deps.platform });
  if (info.channel === "source") {
    throw new HostError(ShipErrors.UPDATE_FROM_SOURCE, "This fabstir-host runs from a source checkout; self-update only replaces release binaries.", {
      details: { channel: info.channel, reason: info.reason },
    });
  }
  if (info.channel === "unknown") {
    throw new HostError(ShipErrors.UPDATE_UNKNOWN_CHANNEL, `Cannot tell how ${info.binaryPath} was installed (${info.reason}), so it was left alone.`, {
      details: { channel: info.channel, binary: info.binaryPath },
    });
  }
  return info;
}

export function parseRequestedVersion(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const version = normalizeVersion(text);
  if (!version) throw new HostError(ShipErrors.UPDATE_BAD_VERSION, `"${text}" is not a version (expected X.Y.Z).`);
  return version;
}

export async function selfUpdate(deps: UpdateDeps, request: UpdateRequest = {}): Promise<UpdateResult> {
  const wanted = parseRequestedVersion(request.version);
  const info = requireUpdatableChannel(deps);
  if (info.channel === "homebrew" || info.channel === "winget") return delegate(deps, info, wanted, request);
  return updateScriptInstall(deps, info, wanted, request);
}

async function delegate(deps: UpdateDeps, info: ChannelInfo, wanted: string | undefined, request: UpdateRequest): Promise<UpdateResult> {
  const channel = info.channel as "homebrew" | "winget";
  if (wanted && channel === "homebrew") {
    throw new HostError(CoreErrors.USAGE, "Homebrew installs only the latest fabstir-host; --version is not supported for Homebrew installs.", {
      hint: "Try: fabstir-host self-update (without --version)",
    });
  }
  const command = packageManagerCommand(channel, wanted);
  if (request.dryRun) return { action: "delegated", channel, binary: info.binaryPath, command: command.display, ran: false };
  await deps.confirm?.(`Run \`${command.display}\`?`);
  deps.onStep?.(`Installed with ${channel === "homebrew" ? "Homebrew" : "winget"}: running ${command.display}`);
  const outcome = await deps.runner(command.command, command.args);
  if (outcome.startError || outcome.exitCode !== 0) {
    const why = outcome.startError ? `could not be started (${outcome.startError})` : `exited with code ${outcome.exitCode}`;
    throw new HostError(ShipErrors.UPDATE_PACKAGE_MANAGER_FAILED, `\`${command.display}\` ${why}.`, {
      hint: `Try: run \`${command.display}\` yourself to see its full output.`,
      details: { command: command.display, exitCode: outcome.exitCode },
    });
  }
  return { action: "delegated", channel, binary: info.binaryPath, command: command.display, ran: true };
}

async function updateScriptInstall(deps: UpdateDeps, info: ChannelInfo, wanted: string | undefined, request: UpdateRequest): Promise<UpdateResult> {
  const fs = deps.channelFs ?? nodeChannelFs;
  const binary = fs.realpath(info.binaryPath);
  const receipt = info.receipt!;
  const source = resolveReleaseSource(deps.env, receipt);
  const current = normalizeVersion(deps.currentVersion) ?? deps.currentVersion;
  const now = deps.now ?? (() => new Date());
  const fetchOptions = { userAgent: deps.userAgent };

  let target = wanted;
  if (!target) {
    deps.onStep?.(`Checking ${source.baseUrl} for the latest version`);
    target = (await fetchLatestRelease(deps.fetch, source, fetchOptions)).version;
  }
  const base = { channel: info.channel, binary };
  const isCurrent = semver.valid(current) ? (wanted ? semver.eq(target, current) : semver.lte(target, current)) : target === current;
  if (isCurrent) return { ...base, action: "up-to-date", current, latest: target };

  const host = runningHost(deps.paths);
  const runPaths = host ? pathsFor(host.home) : deps.paths; // where the host looks for a staged update
  const stage = !!host && !request.now && hostCanReplace(host, binary);
  const pending = readPendingUpdate(runPaths);
  const samePending = pending && pending.kind === "update" && pending.version === target && fs.realpath(pending.binary) === binary;
  if (samePending && host && stage && !request.dryRun) {
    return {
      ...base,
      action: "staged",
      from: current,
      to: target,
      asset: pending.asset,
      next: pending.next,
      pendingFile: pendingUpdatePath(runPaths),
      runningHost: host,
    };
  }
  if (samePending && !host && !request.dryRun) {
    // Staged while a host ran, which has stopped since: the verified file is already here.
    await deps.confirm?.(`Update fabstir-host ${current} → ${target} (already downloaded and verified)?`);
    try {
      const applied = await applyPendingUpdate(runPaths, binary, { now });
      if (applied) {
        return {
          ...base,
          action: "updated",
          from: current,
          to: target,
          asset: pending.asset ?? "",
          sha256: pending.sha256,
          previous: previousPath(binary),
          receiptUpdated: applied.receiptUpdated,
          runningHost: null,
          stagingSkipped: null,
        };
      }
    } catch (error) {
      if (!(error instanceof HostError && error.code === ShipErrors.UPDATE_STAGED_INVALID.code)) throw error;
      deps.onStep?.(`${error.message} Downloading it again.`);
    }
  }

  assertWritableDir(binary);
  const sums = await fetchChecksums(deps.fetch, source, target, { ...fetchOptions, publicKey: releasePublicKey(deps.env) });
  const facts = deps.platformFacts === undefined ? detectPlatformFacts(deps.platform) : deps.platformFacts;
  const asset = chooseAsset(sums.keys(), receipt.asset, facts);
  if (!asset) {
    throw new HostError(
      ShipErrors.UPDATE_NO_BUILD,
      `fabstir-host ${target} has no build for this machine${receipt.asset ? ` (installed: ${receipt.asset})` : ""}.`,
      {
        details: { published: [...sums.keys()] },
      },
    );
  }
  const url = assetUrl(source, target, asset);
  if (request.dryRun) return { ...base, action: "dry-run", from: current, to: target, asset, url, wouldStage: stage };

  await deps.confirm?.(`Update fabstir-host ${current} → ${target}?`);
  const temp = tempPathBeside(binary, "download");
  try {
    deps.onStep?.(`Downloading ${asset} (${target})`);
    const download = await downloadVerified({
      fetch: deps.fetch,
      url,
      dest: temp,
      expectedSha256: sums.get(asset)!,
      label: asset,
      onProgress: deps.onProgress,
      userAgent: deps.userAgent,
    });
    deps.onStep?.("Checksum verified.");
    const probe = await probeBinary(deps.spawn, temp, target);
    deps.onStep?.(`The new binary starts: fabstir-host ${probe.version}${probe.commit ? ` (${probe.commit})` : ""}.`);
    const changes = { version: probe.version, commit: probe.commit, sha256: download.sha256, asset };

    if (host && stage) {
      const staged = stageUpdate(runPaths, temp, { kind: "update", ...changes, from: current, binary, receiptPath: info.receiptPath ?? null }, now());
      return { ...base, action: "staged", from: current, to: target, asset, next: staged.next, pendingFile: pendingUpdatePath(runPaths), runningHost: host };
    }
    installOver(binary, temp, deps.platform);
    if (pending) clearPendingUpdate(runPaths); // superseded
    const receiptUpdated = info.receiptPath ? refreshReceipt(info.receiptPath, binary, changes, now()) : false;
    return {
      ...base,
      action: "updated",
      from: current,
      to: target,
      asset,
      sha256: download.sha256,
      previous: previousPath(binary),
      receiptUpdated,
      runningHost: host,
      stagingSkipped: stagingSkipped(host, request, stage),
    };
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Why a running host did not get the update staged (null when it did, or none runs, or --now). */
function stagingSkipped(host: RunningHost | null, request: UpdateRequest, staged: boolean): string | null {
  if (!host || request.now || staged) return null;
  return `the host runs as another user (uid ${host.uid}) that cannot replace the binary itself`;
}
