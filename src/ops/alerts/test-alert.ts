/** `alerts test`: one alert, sent now, outside de-duplication and rate limits, with the webhook's answer. */
import type { FetchFn } from "../../context.ts";
import type { Logger } from "../logging/logger-types.ts";
import type { OpsConfig } from "../ops-config.ts";
import { AlertSender, validateAlertConfig, type DeliveryResult } from "./alert-sender.ts";

export async function sendTestAlert(options: {
  config: OpsConfig;
  fetch: FetchFn;
  now: number;
  logger: Logger;
  build: { version: string };
}): Promise<DeliveryResult> {
  validateAlertConfig(options.config.alerts);
  const { config } = options;
  const sender = new AlertSender({
    config: config.alerts,
    origin: { host: config.wallet?.address ?? null, publicUrl: config.publicUrl, network: config.network, version: options.build.version },
    fetch: options.fetch,
    now: () => options.now,
    logger: options.logger,
  });
  return sender.deliver({
    kind: "test",
    severity: "info",
    subject: "test",
    title: "Test alert from fabstir-host",
    message: "This is a test. If you can read it, alerts from this host reach you.",
    at: options.now,
  });
}
