/**
 * One sender per key. `submit` records the intent in the journal before anything is signed and drives it to N
 * confirmations; the idempotency key makes a repeated submit return the earlier result (mined), join or resume the
 * transaction in flight, or plan again an intent that failed (nothing of a failed intent can still be mined).
 * `recover` finishes what an earlier process left unfinished. Nothing is ever sent twice for one intent.
 */
import { getAddress, hexlify, isAddress, isHexString, type Interface, type JsonRpcApiProvider } from "ethers";
import { join } from "node:path";
import type { HostConfig } from "../../config/types.ts";
import { ChainErrors } from "../../errors/codes/chain.ts";
import { CoreErrors } from "../../errors/codes/core.ts";
import { HostError } from "../../errors/host-error.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import { createNullLogger } from "../../ops/logging/logger.ts";
import { systemClock, type Clock } from "../../util/clock.ts";
import { driveIntent } from "./driver.ts";
import { cancelIfUnwanted } from "./cancel.ts";
import { gweiToWei } from "./fees.ts";
import { tryLock } from "./file-lock.ts";
import { IntentJournal } from "./journal.ts";
import { NonceAllocator } from "./nonce.ts";
import type { TxDeps } from "./planner.ts";
import type { IntentRecord, RecoveryOutcome, TxHooks, TxIntent, TxResult, TxSigner } from "./types.ts";

export interface TxSenderOptions {
  provider: JsonRpcApiProvider;
  signer: TxSigner;
  chainId: number;
  /** `paths.stateDir`; the journal lives in `<stateDir>/tx-journal/`. */
  stateDir: string;
  tx: HostConfig["tx"];
  clock?: Clock;
  logger?: Logger;
  /** How often a pending transaction is looked for, in ms (default 2000). */
  pollIntervalMs?: number;
  /** How often a pending transaction is checked for having been dropped or its nonce taken, in ms (default 15000). */
  dropCheckIntervalMs?: number;
  /** ABIs whose custom errors should be decoded besides the project's own. */
  errorInterfaces?: Interface[];
  hooks?: TxHooks;
  /** On the first submit, finish earlier runs' unfinished intents in the background (default true). */
  autoRecover?: boolean;
  /** How long that background recovery may take, in ms (default 120000). */
  autoRecoverTimeoutMs?: number;
  /**
   * Asked before an intent is sent again without its owner asking: one an earlier process left unfinished (recovery),
   * or one whose nonce another transaction took. False withdraws it (see withdraw.ts). Without it, every intent is
   * finished as recorded.
   */
  stillWanted?: (record: IntentRecord) => Promise<boolean>;
}

export interface SubmitOptions {
  /** Give up waiting after this many ms with TX_PENDING; the intent stays recorded and a later submit resumes it. */
  timeoutMs?: number;
}

interface InFlight {
  content: string;
  promise: Promise<{ record: IntentRecord; reused: boolean }>;
}

export class TxSender {
  readonly journal: IntentJournal;
  private readonly deps: TxDeps;
  private readonly inflight = new Map<string, InFlight>();
  private background: Promise<unknown> | undefined;

  private constructor(
    readonly address: string,
    private readonly options: TxSenderOptions,
  ) {
    const clock = options.clock ?? systemClock;
    this.journal = new IntentJournal(join(options.stateDir, "tx-journal"), options.chainId, address);
    this.deps = {
      provider: options.provider,
      signer: options.signer,
      journal: this.journal,
      nonces: new NonceAllocator(options.provider, this.journal, address, clock),
      chainId: options.chainId,
      capWei: gweiToWei(options.tx.maxFeeGwei),
      gasMarginPercent: options.tx.gasMarginPercent,
      confirmations: options.tx.confirmations,
      pendingTimeoutMs: options.tx.pendingTimeoutSeconds * 1000,
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      dropCheckIntervalMs: options.dropCheckIntervalMs ?? 15_000,
      clock,
      logger: (options.logger ?? createNullLogger()).child({ component: "tx", from: address }),
      hooks: options.hooks ?? {},
      errorInterfaces: options.errorInterfaces ?? [],
      stillWanted: options.stillWanted,
    };
  }

  static async create(options: TxSenderOptions): Promise<TxSender> {
    return new TxSender(getAddress(await options.signer.getAddress()), options);
  }

  async submit(intent: TxIntent, options: SubmitOptions = {}): Promise<TxResult> {
    const normalized = normalize(intent);
    this.startBackgroundRecovery();
    const content = contentOf(normalized);
    const running = this.inflight.get(intent.key);
    if (running) {
      if (running.content !== content) throw conflict(intent.key);
      return toResult((await running.promise).record, true);
    }
    const deadline = options.timeoutMs === undefined ? null : this.deps.clock.now() + options.timeoutMs;
    const outcome = await this.run(intent.key, content, async () => {
      const existing = this.journal.read(intent.key);
      if (existing && existing.state !== "failed") {
        if (contentOf(existing) !== content) throw conflict(intent.key);
        if (existing.state === "confirmed") return { record: existing, reused: true };
        return { record: await driveIntent(this.deps, existing, deadline), reused: false };
      }
      const record = await this.plan(normalized, existing);
      return { record: await driveIntent(this.deps, record, deadline), reused: false };
    });
    return toResult(outcome.record, outcome.reused);
  }

  /** Finishes (or fails) every unfinished intent not being handled by a live process; returns what became of each. */
  async recover(options: SubmitOptions = {}): Promise<RecoveryOutcome[]> {
    const deadline = options.timeoutMs === undefined ? null : this.deps.clock.now() + options.timeoutMs;
    const records = this.journal.listActive();
    return Promise.all(
      records.map(async (listed): Promise<RecoveryOutcome> => {
        const busy = { key: listed.key, description: listed.description, state: "busy" as const, hash: null, error: null };
        if (this.inflight.has(listed.key)) return busy;
        try {
          const { record } = await this.run(listed.key, contentOf(listed), async () => {
            const fresh = this.journal.read(listed.key) ?? listed; // re-read under the lock
            if (fresh.state === "planned" || fresh.state === "signed" || fresh.state === "sent") await cancelIfUnwanted(this.deps, fresh, "after a restart");
            return { record: await driveIntent(this.deps, fresh, deadline), reused: false };
          });
          return { key: record.key, description: record.description, state: record.state, hash: record.receipt?.hash ?? null, error: null };
        } catch (error) {
          if (error instanceof HostError && error.code === ChainErrors.INTENT_BUSY.code) return busy;
          const record = this.journal.read(listed.key) ?? listed;
          const hash = record.receipt?.hash ?? record.attempts.at(-1)?.hash ?? null;
          return { key: record.key, description: record.description, state: record.state, hash, error: (error as Error).message };
        }
      }),
    );
  }

  /** The journal's record of an intent, if any. */
  record(key: string): IntentRecord | undefined {
    return this.journal.read(key);
  }

  /** Unfinished intents of this address (for status and the daemon's health). */
  pendingIntents(): IntentRecord[] {
    return this.journal.listActive();
  }

  /** Resolves when every intent this sender is driving (including background recovery) has settled. */
  async idle(): Promise<void> {
    await this.background?.catch(() => undefined);
    await Promise.allSettled([...this.inflight.values()].map((entry) => entry.promise));
  }

  /** Runs `work` holding the intent's lock, registered as in flight so concurrent submits of the key join it. */
  private run(key: string, content: string, work: () => Promise<{ record: IntentRecord; reused: boolean }>) {
    const release = tryLock(this.journal.intentLockPath(key));
    if (!release) {
      throw new HostError(ChainErrors.INTENT_BUSY, `Another fabstir-host process is sending "${key}" right now.`, { details: { key } });
    }
    const promise = work().finally(() => {
      release();
      this.inflight.delete(key);
    });
    this.inflight.set(key, { content, promise });
    return promise;
  }

  private async plan(intent: Normalized, previous: IntentRecord | undefined): Promise<IntentRecord> {
    const now = this.deps.clock.now();
    const record: IntentRecord = {
      version: 1,
      key: intent.key,
      chainId: this.options.chainId,
      from: this.address,
      to: intent.to,
      data: intent.data,
      value: intent.value,
      description: intent.description,
      gasLimit: intent.gasLimit,
      state: "planned",
      createdAt: now,
      updatedAt: now,
      attempts: [],
      receipt: null,
      error: null,
      history: [...(previous?.history ?? []), { at: now, state: "planned", ...(previous ? { note: "planned again after a failure" } : {}) }],
    };
    this.journal.write(record);
    await this.deps.hooks.onStep?.("after-plan", record);
    return record;
  }

  private startBackgroundRecovery(): void {
    if (this.background || this.options.autoRecover === false) return;
    this.background = this.recover({ timeoutMs: this.options.autoRecoverTimeoutMs ?? 120_000 }).catch((error) => {
      this.deps.logger.warn("recovery of earlier transactions failed", { error: (error as Error).message });
    });
  }
}

interface Normalized {
  key: string;
  to: string;
  data: string;
  value: string;
  description: string;
  gasLimit: string | null;
}

function normalize(intent: TxIntent): Normalized {
  const usage = (message: string) => new HostError(CoreErrors.INTERNAL, `Invalid transaction intent: ${message}`);
  if (typeof intent.key !== "string" || intent.key.trim() === "") throw usage("the key is empty");
  if (!isAddress(intent.to)) throw usage(`"${intent.to}" is not an address`);
  if (intent.data !== undefined && !isHexString(intent.data)) throw usage("data is not hex");
  if ((intent.value ?? 0n) < 0n) throw usage("value is negative");
  return {
    key: intent.key,
    to: getAddress(intent.to),
    data: intent.data ? hexlify(intent.data) : "0x",
    value: (intent.value ?? 0n).toString(),
    description: intent.description,
    gasLimit: intent.gasLimit === undefined ? null : intent.gasLimit.toString(),
  };
}

const contentOf = (r: { to: string; data: string; value: string }) => `${r.to.toLowerCase()}|${r.data.toLowerCase()}|${r.value}`;

function conflict(key: string): HostError {
  return new HostError(ChainErrors.INTENT_CONFLICT, `A different transaction is already recorded under "${key}".`, { details: { key } });
}

function toResult(record: IntentRecord, reused: boolean): TxResult {
  const receipt = record.receipt!;
  return {
    key: record.key,
    description: record.description,
    hash: receipt.hash,
    from: record.from,
    to: record.to,
    nonce: receipt.nonce,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    gasUsed: BigInt(receipt.gasUsed),
    effectiveGasPrice: BigInt(receipt.effectiveGasPrice),
    reused,
  };
}
