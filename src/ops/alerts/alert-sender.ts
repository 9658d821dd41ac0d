/**
 * Sends alerts to the configured webhook, at most once per kind and subject within a window (the next one that goes
 * out says how many times it happened meanwhile), and at most `maxPerHour` of each kind: a flood of one kind (a
 * hundred jobs' proofs failing, strangers probing the port) never silences another (the node going down). A webhook that is down or refuses
 * is logged and counted, never thrown: an alert about a problem must not become a second problem.
 */
import type { FetchFn } from "../../context.ts";
import type { HostConfig } from "../../config/types.ts";
import type { Logger } from "../logging/logger-types.ts";
import type { HostMetrics } from "../metrics/host-metrics.ts";
import { redact, registerSecret } from "../../util/redact.ts";
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";
import { formatAlert } from "./alert-formats.ts";
import type { Alert, AlertOrigin, AlertTally } from "./alert-types.ts";

export interface DeliveryResult {
  delivered: boolean;
  /** HTTP status, or null when no answer came (network error, timeout). */
  status: number | null;
  statusText: string;
  /** The start of the answer's body, redacted. */
  body: string;
  error: string | null;
  /** Where it went: scheme and host only (webhook paths hold tokens). */
  target: string;
}

export type SendOutcome = { status: "sent" | "failed"; delivery: DeliveryResult } | { status: "suppressed" | "rate_limited" | "disabled" };

export interface AlertSenderOptions {
  config: HostConfig["alerts"];
  origin: AlertOrigin;
  fetch: FetchFn;
  now: () => number;
  logger: Logger;
  metrics?: Pick<HostMetrics, "alertsSent" | "alertsFailed" | "alertsSuppressed">;
  dedupeWindowMs?: number;
  maxPerHour?: number;
  timeoutMs?: number;
}

/** Checks the webhook settings; throws a HostError a user can act on. */
export function validateAlertConfig(config: HostConfig["alerts"]): string {
  if (!config.webhookUrl) throw new HostError(OpsErrors.ALERTS_NOT_CONFIGURED, "No alert webhook is configured (alerts.webhookUrl).");
  let url: URL;
  try {
    url = new URL(config.webhookUrl);
  } catch {
    throw new HostError(OpsErrors.ALERTS_BAD_CONFIG, "alerts.webhookUrl is not a valid URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new HostError(OpsErrors.ALERTS_BAD_CONFIG, "alerts.webhookUrl must be an http(s) URL.");
  if (config.format === "telegram" && !config.telegramChatId) {
    throw new HostError(OpsErrors.ALERTS_BAD_CONFIG, "The telegram format needs alerts.telegramChatId (the chat the bot writes to).");
  }
  return config.webhookUrl;
}

export function webhookTarget(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}

export class AlertSender {
  private readonly recent = new Map<string, { lastSentAt: number; suppressed: number; firstAt: number }>();
  /** Per kind: when alerts of that kind went out in the last hour, and how many the limit held back since. */
  private readonly sentTimes = new Map<string, number[]>();
  private readonly heldBack = new Map<string, number>();

  constructor(private readonly options: AlertSenderOptions) {
    // The whole URL is a credential for Slack, Discord and Telegram webhooks: never let it into a log line.
    registerSecret(options.config.webhookUrl);
  }

  /** New webhook settings (a reload): the next alert goes out with them; de-duplication state is kept. */
  reconfigure(config: HostConfig["alerts"]): void {
    registerSecret(config.webhookUrl);
    this.options.config = config;
  }

  async send(alert: Alert): Promise<SendOutcome> {
    if (!this.options.config.webhookUrl) return { status: "disabled" };
    const key = `${alert.kind}\u0000${alert.subject}`;
    const now = this.options.now();
    const window = this.options.dedupeWindowMs ?? 30 * 60_000;
    const seen = this.recent.get(key);
    if (seen && now - seen.lastSentAt < window) {
      seen.suppressed++;
      this.options.metrics?.alertsSuppressed.inc({ kind: alert.kind });
      return { status: "suppressed" };
    }
    let sentTimes = this.sentTimes.get(alert.kind);
    if (!sentTimes) this.sentTimes.set(alert.kind, (sentTimes = []));
    while (sentTimes.length > 0 && now - sentTimes[0]! >= 3_600_000) sentTimes.shift();
    if (sentTimes.length >= (this.options.maxPerHour ?? 20)) {
      this.heldBack.set(alert.kind, (this.heldBack.get(alert.kind) ?? 0) + 1);
      this.options.metrics?.alertsSuppressed.inc({ kind: alert.kind });
      this.options.logger.warn("alert held back by the rate limit", { kind: alert.kind, subject: alert.subject });
      return { status: "rate_limited" };
    }
    sentTimes.push(now);
    const tally: AlertTally = {
      count: (seen?.suppressed ?? 0) + 1,
      firstAt: seen && seen.suppressed > 0 ? seen.firstAt : alert.at,
      heldBack: this.heldBack.get(alert.kind) ?? 0,
    };
    const delivery = await this.deliver(alert, tally);
    if (delivery.delivered) {
      this.recent.set(key, { lastSentAt: now, suppressed: 0, firstAt: now });
      this.heldBack.delete(alert.kind);
      return { status: "sent", delivery };
    }
    // Not delivered: keep the tally so the next attempt still reports every occurrence.
    this.recent.set(key, { lastSentAt: seen?.lastSentAt ?? -Infinity, suppressed: tally.count, firstAt: tally.firstAt });
    return { status: "failed", delivery };
  }

  /** Sends one alert now, outside de-duplication and rate limits (`alerts test`). */
  async deliver(alert: Alert, tally: AlertTally = { count: 1, firstAt: alert.at, heldBack: 0 }): Promise<DeliveryResult> {
    const { config, logger } = this.options;
    const target = webhookTarget(config.webhookUrl ?? "");
    const body = formatAlert(config.format, alert, this.options.origin, tally, { telegramChatId: config.telegramChatId });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error("no answer within the timeout")), this.options.timeoutMs ?? 10_000);
    let result: DeliveryResult;
    try {
      const response = await this.options.fetch(config.webhookUrl!, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": `fabstir-host/${this.options.origin.version}` },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      const text = redact((await response.text().catch(() => "")).slice(0, 500));
      result = { delivered: response.ok, status: response.status, statusText: response.statusText, body: text, error: null, target };
    } catch (error) {
      const message = redact(error instanceof Error ? error.message : String(error));
      result = { delivered: false, status: null, statusText: "", body: "", error: message, target };
    } finally {
      clearTimeout(timer);
    }
    if (result.delivered) {
      this.options.metrics?.alertsSent.inc({ kind: alert.kind });
      logger.info("alert sent", { kind: alert.kind, subject: alert.subject, target, status: result.status });
    } else {
      this.options.metrics?.alertsFailed.inc();
      logger.warn("alert not delivered", { kind: alert.kind, subject: alert.subject, target, status: result.status, error: result.error, answer: result.body });
    }
    return result;
  }
}
