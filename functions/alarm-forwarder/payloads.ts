/**
 * What the forwarder posts for one alarm change, per receiver type: pure functions of the change,
 * the receiver and the environment, so tests compare whole bodies.
 */
import { createHash } from "node:crypto";
import { type AlarmChange } from "./alarm";
import { type ForwardedReceiver, type PagerDutySeverity } from "./config";

/** PagerDuty's Events API v2 endpoint (the routing key, in the body, picks the service). */
export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

type Slack = Extract<ForwardedReceiver, { type: "slack" }>;
type PagerDuty = Extract<ForwardedReceiver, { type: "pagerduty" }>;

/** The alarm in the CloudWatch console (its region is the ARN's). */
export function consoleUrl(change: AlarmChange): string | undefined {
  if (!change.region) return undefined;
  return `https://${change.region}.console.aws.amazon.com/cloudwatch/home?region=${change.region}#alarmsV2:alarm/${encodeURIComponent(change.name)}`;
}

/** One line: "[ALARM] critical prod: <name>: <summary>". */
export function headline(change: AlarmChange, environment: string): string {
  return `[${change.state}] ${change.severity} ${environment}: ${change.name}: ${change.summary}`;
}

/** Slack's mrkdwn control characters, escaped as Slack asks. */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

/**
 * A Slack incoming webhook message: `text` (the notification's and the fallback's), and blocks:
 * a header and a section with the reason and the links. `channel` is config's; Slack's app
 * webhooks post to the channel they were made for and ignore it (legacy webhooks honour it).
 * Limits: a header's text 150 characters, a section's 3000.
 * @see https://api.slack.com/messaging/webhooks ("You cannot override the default channel ... when you're using Incoming Webhooks")
 * @see https://api.slack.com/reference/block-kit/blocks (header: plain_text, 150 characters; section: 3000)
 * @see https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function slackMessage(change: AlarmChange, receiver: Slack, environment: string): Record<string, unknown> {
  const icon = change.state === "ALARM" ? (change.severity === "critical" ? ":red_circle:" : ":large_orange_circle:") : ":large_green_circle:";
  const links = [change.runbookUrl && `<${change.runbookUrl}|Runbook>`, consoleUrl(change) && `<${consoleUrl(change)}|Alarm>`].filter(Boolean).join(" · ");
  const body = [`${icon} *${change.state === "ALARM" ? "Firing" : "Resolved"}* (${change.severity}, ${slackEscape(environment)}): ${slackEscape(change.summary)}`, `_${slackEscape(change.reason)}_`, links].filter(Boolean).join("\n");
  return {
    channel: receiver.channel,
    text: headline(change, environment),
    blocks: [
      { type: "header", text: { type: "plain_text", text: cut(`[${change.state}] ${change.name}`, 150) } },
      { type: "section", text: { type: "mrkdwn", text: cut(body, 3000) } },
    ],
  };
}

/**
 * A PagerDuty Events API v2 event: `trigger` on ALARM, `resolve` on OK, correlated by a dedup_key
 * of the alarm's ARN (its name without one; hashed above PagerDuty's 255 characters), so the
 * OK resolves the incident the ALARM opened and a retried ALARM opens no second one. The
 * severity is the receiver's (`severity` in config), else the alarm's.
 * @see https://github.com/PagerDuty/developer-docs/blob/main/docs/events-API-v2/02-Trigger-Events.md
 */
export function pagerDutyEvent(change: AlarmChange, receiver: PagerDuty, environment: string, routingKey: string): Record<string, unknown> {
  const key = change.arn ?? `${change.accountId}:${change.name}`;
  const dedupKey = key.length <= 255 ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`;
  if (change.state === "OK") return { routing_key: routingKey, event_action: "resolve", dedup_key: dedupKey };
  const severity: PagerDutySeverity = receiver.severity ?? change.severity;
  const dimensions = Object.entries(change.metric?.dimensions ?? {}).map(([k, v]) => `${k}=${v}`);
  const alarmUrl = consoleUrl(change);
  return {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: dedupKey,
    payload: {
      summary: cut(`${environment}: ${change.name}: ${change.summary}`, 1024),
      // "The unique location of the affected system": the metric's resource where the alarm names one.
      source: change.metric ? [change.metric.namespace, ...dimensions].join(" ") : `CloudWatch ${change.accountId} ${change.region ?? ""}`.trim(),
      severity,
      timestamp: change.time,
      group: environment,
      ...(change.metric ? { component: change.metric.namespace, class: change.metric.name } : {}),
      custom_details: { alarm: change.name, reason: change.reason, previous_state: change.previousState, account: change.accountId, region: change.region },
    },
    links: [...(change.runbookUrl ? [{ href: change.runbookUrl, text: "Runbook" }] : []), ...(alarmUrl ? [{ href: alarmUrl, text: "CloudWatch alarm" }] : [])],
    client: "CloudWatch (alarm-forwarder)",
    ...(alarmUrl ? { client_url: alarmUrl } : {}),
  };
}

/**
 * A generic webhook's body: Alertmanager's webhook payload (version 4), one alert, so that a
 * webhook receiver takes CloudWatch's alarms and Alertmanager's alerts in one format.
 * Labels: alertname (the alarm's name), severity, environment, source "cloudwatch"; annotations:
 * summary, description (CloudWatch's reason), runbook_url. A firing alert's endsAt is Go's zero
 * time, as Alertmanager's is when no end is known; a resolved one starts and ends at the change
 * (CloudWatch does not say when it began). The fingerprint is the first 16 hex digits of the
 * SHA-256 of the alarm's ARN.
 * @see https://github.com/prometheus/alertmanager/blob/v0.34.0/docs/configuration.md#webhook_config
 */
export function webhookMessage(change: AlarmChange, receiverName: string, environment: string): Record<string, unknown> {
  const status = change.state === "ALARM" ? "firing" : "resolved";
  const labels = { alertname: change.name, severity: change.severity, environment, source: "cloudwatch" };
  const annotations = { summary: change.summary, description: change.reason, ...(change.runbookUrl ? { runbook_url: change.runbookUrl } : {}) };
  const key = change.arn ?? `${change.accountId}:${change.name}`;
  const alarmUrl = consoleUrl(change) ?? "";
  return {
    version: "4",
    groupKey: `cloudwatch:${key}`,
    truncatedAlerts: 0,
    status,
    receiver: receiverName,
    groupLabels: { alertname: change.name },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: alarmUrl,
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: change.time,
        endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : change.time,
        generatorURL: alarmUrl,
        fingerprint: createHash("sha256").update(key).digest("hex").slice(0, 16),
      },
    ],
  };
}
