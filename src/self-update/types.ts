/** What the self-update services need from the outside world, and what they report back. */
import type { FetchFn, SpawnFn } from "../context.ts";
import type { Paths } from "../config/paths.ts";
import type { ChannelFs, InstallChannel } from "./channel.ts";
import type { PlatformFacts } from "./platform-asset.ts";
import type { UpgradeRunner } from "./package-manager.ts";
import type { ByteProgress } from "./download.ts";
import type { RunningHost } from "./pending.ts";

declare module "../context.ts" {
  interface HostServices {
    /** What self-update acts on, where it is not this process's binary and machine (tests of each channel). */
    selfUpdate?: Partial<Pick<UpdateDeps, "execPath" | "runner" | "channelFs" | "platformFacts">>;
  }
}

export interface UpdateDeps {
  paths: Paths;
  env: Record<string, string | undefined>;
  fetch: FetchFn;
  spawn: SpawnFn;
  /** Version of the running build. */
  currentVersion: string;
  /** The installed binary to update (in production the running executable; tests pass a fake one). */
  execPath: string;
  runner: UpgradeRunner;
  channelFs?: ChannelFs;
  platform?: NodeJS.Platform;
  /** This machine, for picking a release file when the receipt names none (null: unsupported platform). */
  platformFacts?: PlatformFacts | null;
  now?: () => Date;
  /** Progress notes for a person ("Checksum verified."). */
  onStep?: (message: string) => void;
  onProgress?: (progress: ByteProgress) => void;
  /** Asks before anything changes; throws to cancel. */
  confirm?: (question: string) => Promise<void>;
  userAgent?: string;
}

export interface UpdateRequest {
  /** A specific version instead of the latest (downgrades allowed). */
  version?: string;
  dryRun?: boolean;
  /** Replace the binary even while a host runs from it. */
  now?: boolean;
}

interface Common {
  channel: InstallChannel;
  binary: string;
}

export type UpdateResult =
  | (Common & { action: "up-to-date"; current: string; latest: string })
  | (Common & {
      action: "updated";
      from: string;
      to: string;
      asset: string;
      sha256: string;
      previous: string;
      receiptUpdated: boolean;
      runningHost: RunningHost | null;
      stagingSkipped: string | null;
    })
  | (Common & { action: "staged"; from: string; to: string; asset: string | null; next: string; pendingFile: string; runningHost: RunningHost })
  | (Common & { action: "delegated"; command: string; ran: boolean })
  | (Common & { action: "dry-run"; from: string; to: string; asset: string; url: string; wouldStage: boolean })
  | (Common & { action: "rolled-back"; from: string; to: string; previous: string; receiptUpdated: boolean; runningHost: RunningHost | null });

export interface UpdateCheck {
  channel: InstallChannel;
  current: string;
  latest: string;
  updateAvailable: boolean;
  date: string | null;
  notes: string | null;
  /** What to run to update. */
  command: string;
  /** An update already staged for the running host. */
  pending: { version: string; stagedAt: string } | null;
}
