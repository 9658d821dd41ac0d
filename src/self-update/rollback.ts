/**
 * `self-update --rollback`: exchanges the installed binary with `<binary>.previous`, the one the last update
 * replaced (so a second rollback returns to where it started). While a host runs from the binary, the previous
 * build is staged like an update and swapped in by the host when it is idle.
 */
import { existsSync, rmSync } from "node:fs";
import { HostError } from "../errors/host-error.ts";
import { ShipErrors } from "../errors/codes/ship.ts";
import { nodeChannelFs } from "./channel.ts";
import { assertWritableDir, probeBinary, sha256OfFile, tempPathBeside } from "./download.ts";
import { duplicateFile, previousPath, swapWithPrevious } from "./swap.ts";
import { clearPendingUpdate, hostCanReplace, pendingUpdatePath, readPendingUpdate, runningHost, stageUpdate } from "./pending.ts";
import { pathsFor } from "../config/paths.ts";
import { refreshReceipt } from "./receipt.ts";
import { normalizeVersion } from "./release-source.ts";
import { requireUpdatableChannel } from "./self-update.ts";
import type { UpdateDeps, UpdateRequest, UpdateResult } from "./types.ts";

export async function rollbackUpdate(deps: UpdateDeps, request: Omit<UpdateRequest, "version"> = {}): Promise<UpdateResult> {
  const info = requireUpdatableChannel(deps);
  if (info.channel !== "script") {
    const manager = info.channel === "homebrew" ? "Homebrew" : "winget";
    throw new HostError(
      ShipErrors.UPDATE_NO_PREVIOUS,
      `This fabstir-host was installed with ${manager}, which keeps no previous build for self-update to return to.`,
      {
        hint:
          info.channel === "winget"
            ? "Try: winget install Fabstir.FabstirHost --version X.Y.Z"
            : "Try: brew uninstall fabstir-host, then install the version you need from the releases page",
      },
    );
  }
  const binary = (deps.channelFs ?? nodeChannelFs).realpath(info.binaryPath);
  const previous = previousPath(binary);
  if (!existsSync(previous)) {
    throw new HostError(ShipErrors.UPDATE_NO_PREVIOUS, `There is no previous binary to roll back to (${previous} does not exist).`);
  }
  const current = normalizeVersion(deps.currentVersion) ?? deps.currentVersion;
  let older;
  try {
    older = await probeBinary(deps.spawn, previous, null);
  } catch (error) {
    throw new HostError(ShipErrors.UPDATE_NEW_BINARY_BROKEN, `The previous binary ${previous} does not start (\`--version\` failed); nothing was changed.`, {
      cause: error,
    });
  }
  const host = runningHost(deps.paths);
  const runPaths = host ? pathsFor(host.home) : deps.paths;
  const stage = !!host && !request.now && hostCanReplace(host, binary);
  const base = { channel: info.channel, binary };
  if (request.dryRun)
    return { ...base, action: "dry-run", from: current, to: older.version, asset: info.receipt?.asset ?? "", url: previous, wouldStage: stage };

  assertWritableDir(binary);
  await deps.confirm?.(`Roll fabstir-host back from ${current} to ${older.version}?`);
  const now = deps.now ?? (() => new Date());
  const sha256 = await sha256OfFile(previous);
  const changes = { version: older.version, commit: older.commit, sha256 };

  if (host && stage) {
    const temp = tempPathBeside(binary, "rollback-stage");
    try {
      duplicateFile(previous, temp);
      const staged = stageUpdate(
        runPaths,
        temp,
        { kind: "rollback", ...changes, asset: null, from: current, binary, receiptPath: info.receiptPath ?? null },
        now(),
      );
      return {
        ...base,
        action: "staged",
        from: current,
        to: older.version,
        asset: null,
        next: staged.next,
        pendingFile: pendingUpdatePath(runPaths),
        runningHost: host,
      };
    } finally {
      rmSync(temp, { force: true });
    }
  }
  swapWithPrevious(binary, deps.platform);
  if (readPendingUpdate(runPaths)) clearPendingUpdate(runPaths); // a staged update is no longer what the user wants
  const receiptUpdated = info.receiptPath ? refreshReceipt(info.receiptPath, binary, changes, now()) : false;
  return { ...base, action: "rolled-back", from: current, to: older.version, previous, receiptUpdated, runningHost: host };
}
