/**
 * Webhook bodies: generic JSON, Slack (`text` + blocks), Discord (`content` + embeds) and Telegram (`sendMessage`
 * with chat_id and text). Texts are cut to each service's limits so a long error never makes the webhook refuse.
 */
import type { Alert, AlertFormat, AlertOrigin, AlertTally } from "./alert-types.ts";

const ICON = { critical: "🔴", warning: "🟠", info: "🔵" } as const;
const DISCORD_COLOR = { critical: 0xd32f2f, warning: 0xf57c00, info: 0x1976d2 } as const;

const cut = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max - 1) + "…");

function tallyNote(tally: AlertTally): string | null {
  const notes: string[] = [];
  if (tally.count > 1) notes.push(`Happened ${tally.count} times since ${new Date(tally.firstAt).toISOString().slice(0, 16).replace("T", " ")} UTC.`);
  if (tally.heldBack > 0) notes.push(`${tally.heldBack} more alert(s) of this kind were held back by the rate limit.`);
  return notes.length > 0 ? notes.join(" ") : null;
}

function facts(alert: Alert, origin: AlertOrigin): [string, string][] {
  const out: [string, string][] = [];
  if (origin.host) out.push(["Host", origin.host]);
  if (origin.publicUrl) out.push(["URL", origin.publicUrl]);
  out.push(["Network", origin.network]);
  for (const [key, value] of Object.entries(alert.details ?? {})) out.push([key, String(value)]);
  return out;
}

export interface FormatOptions {
  telegramChatId?: string | null;
}

export function formatAlert(format: AlertFormat, alert: Alert, origin: AlertOrigin, tally: AlertTally, options: FormatOptions = {}): Record<string, unknown> {
  const headline = `${ICON[alert.severity]} [${alert.severity.toUpperCase()}] ${alert.title}`;
  const note = tallyNote(tally);
  const footer = `fabstir-host ${origin.version} · ${new Date(alert.at).toISOString()}`;
  switch (format) {
    case "slack":
      return {
        text: cut(`${headline}: ${alert.message}`, 3000),
        blocks: [
          { type: "header", text: { type: "plain_text", text: cut(headline, 150), emoji: true } },
          { type: "section", text: { type: "mrkdwn", text: cut(alert.message + (note ? `\n_${note}_` : ""), 3000) } },
          {
            type: "section",
            fields: facts(alert, origin)
              .slice(0, 10)
              .map(([k, v]) => ({ type: "mrkdwn", text: cut(`*${k}*\n${v}`, 2000) })),
          },
          { type: "context", elements: [{ type: "mrkdwn", text: footer }] },
        ],
      };
    case "discord":
      return {
        content: cut(headline, 2000),
        embeds: [
          {
            title: cut(alert.title, 256),
            description: cut(alert.message + (note ? `\n\n*${note}*` : ""), 4096),
            color: DISCORD_COLOR[alert.severity],
            fields: facts(alert, origin)
              .slice(0, 25)
              .map(([name, value]) => ({ name: cut(name, 256), value: cut(value, 1024), inline: true })),
            timestamp: new Date(alert.at).toISOString(),
            footer: { text: `fabstir-host ${origin.version}` },
          },
        ],
        allowed_mentions: { parse: [] },
      };
    case "telegram": {
      const lines = [headline, "", alert.message];
      if (note) lines.push("", note);
      lines.push("", ...facts(alert, origin).map(([k, v]) => `${k}: ${v}`), "", footer);
      return { chat_id: options.telegramChatId ?? "", text: cut(lines.join("\n"), 4096), disable_web_page_preview: true };
    }
    default:
      return {
        source: "fabstir-host",
        kind: alert.kind,
        severity: alert.severity,
        subject: alert.subject,
        title: alert.title,
        message: alert.message,
        details: alert.details ?? {},
        count: tally.count,
        firstAt: new Date(tally.firstAt).toISOString(),
        heldBack: tally.heldBack,
        host: origin.host,
        publicUrl: origin.publicUrl,
        network: origin.network,
        version: origin.version,
        timestamp: new Date(alert.at).toISOString(),
      };
  }
}
