/**
 * FH0600–FH0699: operations (logs, metrics, alerts, system services) and the daemon.
 * FH0600–FH0649 are declared here; FH0650–FH0699 are left for the daemon's lifecycle (PID lock, detach, signals).
 * Codes are never renumbered or reused.
 */
import { defineCodes } from "./define.ts";

export const OpsErrors = defineCodes({
  LOGS_BAD_TIME: {
    code: "FH0600",
    title: "Unreadable time for --since/--until",
    kind: "usage",
    cause: "`logs --since/--until` was given something that is neither an ISO time nor a relative time like 15m, 2h or 1d.",
    fix: "Pass an ISO time (2026-07-01T12:00:00Z) or a relative one: 30s, 15m, 2h, 1d, 1w.",
    hint: "Try: fabstir-host logs --since 2h",
  },
  LOGS_UNREADABLE: {
    code: "FH0601",
    title: "Log files unreadable",
    kind: "operational",
    cause: "The logs directory exists but its files cannot be read (permissions, or another user owns them).",
    fix: "Run the command as the user the host runs as (for a system service: sudo -u fabstir), or fix the permissions.",
  },
  LOGS_EXPORT_FAILED: {
    code: "FH0602",
    title: "Log export failed",
    kind: "operational",
    cause: "The archive could not be written: the target directory is missing or read-only, or the disk is full.",
    fix: "Pick another output path (`fabstir-host logs export /tmp/fabstir-logs.tar.gz`) or free disk space.",
    hint: "Try: fabstir-host logs export /tmp/fabstir-logs.tar.gz",
  },
  METRICS_BAD_LISTEN: {
    code: "FH0610",
    title: "Metrics listen address malformed",
    kind: "usage",
    cause: "metrics.listen is not of the form host:port (for example 127.0.0.1:9464 or [::1]:9464).",
    fix: "Set a valid address: fabstir-host config set metrics.listen 127.0.0.1:9464",
    hint: "Try: fabstir-host config set metrics.listen 127.0.0.1:9464",
  },
  METRICS_LISTEN_FAILED: {
    code: "FH0611",
    title: "Metrics port unavailable",
    kind: "operational",
    cause: "Another process already listens on the metrics address, or the address is not on this machine.",
    fix: "Stop the other process or move the endpoint: fabstir-host config set metrics.listen 127.0.0.1:9465",
    hint: "Try: fabstir-host config set metrics.listen 127.0.0.1:9465",
  },
  ALERTS_NOT_CONFIGURED: {
    code: "FH0620",
    title: "No alert webhook configured",
    kind: "usage",
    cause: "alerts.webhookUrl is not set, so there is nowhere to send alerts.",
    fix: "Set a webhook (Slack, Discord, Telegram or any JSON endpoint) and its format, then test it.",
    hint: "Try: fabstir-host config set alerts.webhookUrl https://hooks.slack.com/services/… && fabstir-host config set alerts.format slack",
  },
  ALERTS_BAD_CONFIG: {
    code: "FH0621",
    title: "Alert settings incomplete",
    kind: "usage",
    cause: "The webhook URL is malformed, or the Telegram format is chosen without alerts.telegramChatId.",
    fix: "Fix alerts.webhookUrl (an http(s) URL) and, for Telegram, set alerts.telegramChatId.",
    hint: "Try: fabstir-host config set alerts.telegramChatId 123456789",
  },
  ALERTS_DELIVERY_FAILED: {
    code: "FH0622",
    title: "Alert not delivered",
    kind: "operational",
    cause: "The webhook did not answer, or answered with an error status (wrong URL, revoked token, rate limit).",
    fix: "Check the URL and token with the service's settings page, then run `fabstir-host alerts test` again.",
    hint: "Try: fabstir-host alerts test --verbose",
  },
  SERVICE_UNSUPPORTED: {
    code: "FH0630",
    title: "No service manager here",
    kind: "operational",
    cause: "This platform has no supported service manager (systemd on Linux, launchd on macOS, Task Scheduler on Windows), or systemd is not running.",
    fix: "Run the host under your own supervisor with `fabstir-host start`, or use the Kubernetes manifests.",
    hint: "Try: fabstir-host start --daemon",
  },
  SERVICE_NEEDS_ROOT: {
    code: "FH0631",
    title: "System service needs root",
    kind: "usage",
    cause: "A system-wide service (--system) writes under /etc and creates a service user, which only root may do.",
    fix: "Run it with sudo, or install a per-user service instead (the default when not root).",
    hint: "Try: sudo fabstir-host service install --system",
  },
  SERVICE_COMMAND_FAILED: {
    code: "FH0632",
    title: "Service manager command failed",
    kind: "operational",
    cause: "systemctl, launchctl, schtasks or useradd exited with an error (see the message for its output).",
    fix: "Read the output quoted in the message; `journalctl -u fabstir-host` or `systemctl status fabstir-host` tell more.",
    hint: "Try: fabstir-host service status",
  },
  SERVICE_WRITE_FAILED: {
    code: "FH0633",
    title: "Service file not written",
    kind: "operational",
    cause: "The unit, plist, task or credential file could not be written (permissions, read-only file system).",
    fix: "Check the directory named in the message is writable by this user, or run with sudo for --system.",
  },
  SERVICE_NOT_INSTALLED: {
    code: "FH0634",
    title: "Service not installed",
    kind: "usage",
    cause: "`service uninstall` found no service that fabstir-host installed.",
    fix: "Nothing to remove. `fabstir-host service status` shows what is installed.",
    hint: "Try: fabstir-host service status",
  },
});
