import { z } from "zod";
import { strict } from "./strict";

/**
 * The `observability` section of an environment file: who is told when something breaks
 * (Alertmanager's receivers and routes, the dead man's switch), the CloudWatch alarms on the
 * AWS-managed pieces and their thresholds, and tracing. Cross-field checks live in
 * `observability-checks.ts`; the names derived from it in `observability.ts`.
 */

/** A receiver's name: it names its Secrets Manager secret (`<env>/platform/alerting/<name>`) and its Alertmanager receiver. */
export const RECEIVER_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, "must be an email address such as oncall@example.com");

/**
 * One receiver. Its credential (Slack's webhook URL, PagerDuty's routing key, a webhook's URL) is
 * never in config: it lives in Secrets Manager, in the secret the platform stack makes for it,
 * and reaches Alertmanager through External Secrets (docs/observability.md).
 */
export const receiverSchema = z.discriminatedUnion(
  "type",
  [
    strict({
      type: z.literal("slack"),
      channel: z.string().regex(/^#?[a-z0-9][a-z0-9._-]{0,79}$/, "must be a Slack channel such as #alerts-prod").describe("The channel the messages go to. A Slack app's incoming webhook posts only to the channel it was made for and ignores this: make the webhook for this channel."),
    }).describe("Slack, through an incoming webhook: its URL is the secret's `url` key."),
    strict({
      type: z.literal("pagerduty"),
      severity: z.enum(["critical", "error", "warning", "info"]).optional().describe("The PagerDuty severity of the events. Default: the alert's severity label."),
    }).describe("PagerDuty's Events API v2: the integration's routing key is the secret's `routing_key` key."),
    strict({
      type: z.literal("email"),
      addresses: z.array(email).min(1, "must list at least one address").describe("Who gets the mails: each is subscribed to the environment's alert topic (SNS), and confirms once from the mail SNS sends."),
    }).describe("Email, through the environment's SNS topic `<env>-alerts`, which the CloudWatch alarms notify too."),
    strict({
      type: z.literal("webhook"),
    }).describe("A generic webhook (Alertmanager's JSON payload): its URL is the secret's `url` key. A heartbeat service (healthchecks.io, Dead Man's Snitch, PagerDuty's heartbeat) is one."),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? 'must have a type: "slack", "pagerduty", "email" or "webhook"' : undefined) },
);

export type ReceiverConfig = z.output<typeof receiverSchema>;
export type ReceiverType = ReceiverConfig["type"];

const receiverList = z.array(z.string().min(1)).default([]);

export const alertingSchema = strict({
  receivers: z
    .record(z.string().regex(RECEIVER_NAME, "must be a receiver name: 1–32 lowercase letters, digits and '-', starting with a letter"), receiverSchema)
    .default({})
    .describe("Where alerts go, by name. Credentials are never here: each receiver that needs one gets a Secrets Manager secret `<env>/platform/alerting/<name>` (docs/observability.md)."),
  routes: strict({
    critical: receiverList.describe("Receivers of critical alerts (the service is down or losing data): in production, the one that pages."),
    warning: receiverList.describe("Receivers of warnings (something degrades): usually chat."),
  })
    .default({ critical: [], warning: [] })
    .describe("Which receivers each severity goes to. A critical alert also goes to the warning receivers only if listed there."),
  heartbeat: z
    .string()
    .min(1)
    .optional()
    .describe("The receiver of the always-firing Watchdog alert: a webhook receiver, the ping URL of a heartbeat service (healthchecks.io, Dead Man's Snitch, a PagerDuty heartbeat monitor) that pages when the pings stop, so a dead Prometheus or Alertmanager reaches someone. Required in production (with a platform section)."),
  repeatHours: z.int().min(1).max(168).default(4).describe("Hours before a still-firing alert is sent again."),
}).describe("Alert delivery: Alertmanager's receivers and routes (`<env>-platform`), and the SNS topic the CloudWatch alarms notify.");

/**
 * A threshold: a number in a range, with a default. Out of range, the message names the range
 * and its unit, so the fix is in the message.
 */
const threshold = (min: number, max: number, fallback: number, unit: string, what: string) => {
  const range = `must be ${min}–${max} ${unit}`;
  return z.number().min(min, range).max(max, range).default(fallback).describe(`${what} Default: ${fallback}; allowed: ${min}–${max}.`);
};

export const alarmsSchema = strict({
  database: strict({
    cpuPercent: threshold(1, 100, 80, "percent", "CPU use, percent, averaged over 15 minutes (each instance)."),
    freeStorageGiB: threshold(1, 1024, 10, "GiB", "Free storage, GiB, below which the alarm fires (RDS; Aurora's storage grows by itself)."),
    replicaLagSeconds: threshold(1, 3600, 60, "seconds", "Replica lag, seconds, over 10 minutes (Aurora readers)."),
    connectionsPercent: threshold(1, 100, 80, "percent", "Connections, percent of the instance class's default max_connections (LEAST(DBInstanceClassMemory/9531392, 5000)), over 10 minutes."),
  })
    .prefault({})
    .describe("Alarms on the database (with a database section)."),
  streaming: strict({
    diskUsedPercent: threshold(1, 100, 80, "percent", "A broker's data-log disk use, percent (KafkaDataLogsDiskUsed), over 15 minutes."),
    underReplicatedPartitions: threshold(0, 10000, 0, "partitions", "Under-replicated partitions of the cluster (sum over the brokers) above which the alarm fires, for 15 minutes."),
  })
    .prefault({})
    .describe("Alarms on the MSK cluster (with a streaming section; standard brokers: Express brokers publish neither metric)."),
  nat: strict({
    portAllocationErrors: threshold(0, 1000000, 0, "errors", "Port allocation errors of a NAT gateway in 5 minutes above which the alarm fires."),
    packetsDropped: threshold(0, 100000000, 1000, "packets", "Packets a NAT gateway dropped in 5 minutes above which the alarm fires, twice in a row."),
  })
    .prefault({})
    .describe("Alarms on each NAT gateway."),
  loadBalancer: strict({
    elb5xxCount: threshold(
      1,
      1000000,
      10,
      "responses",
      "5xx responses an ALB gives itself (HTTPCode_ELB_5XX_Count: no healthy target, a target that does not answer) in 5 minutes above which the alarm fires, per ALB of the cluster. A count, not a share: the ALBs are found by a Metrics Insights query, and an alarm takes one such query, so it cannot divide by RequestCount (docs/observability.md).",
    ),
  })
    .prefault({})
    .describe("Alarms on the services' ALBs (the AWS Load Balancer Controller's, found by its tag elbv2.k8s.aws/cluster)."),
})
  .prefault({})
  .describe("CloudWatch alarms on the AWS-managed pieces, in the plan of the stack that makes each one; they notify the SNS topic `<env>-alerts`.");

export const tracingSchema = strict({
  enabled: z.boolean().default(false).describe("Run an OpenTelemetry Collector (`<env>-platform`) that receives the services' OTLP traces and exports them to AWS X-Ray; services get OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME."),
  samplingPercent: z.number().min(0).max(100).default(10).describe("Share of traces kept, percent (parent-based trace-id ratio: a trace is kept or dropped whole)."),
})
  .prefault({})
  .describe("Traces (needs a platform section).");

export const grafanaSchema = strict({
  cloudWatch: z
    .boolean()
    .default(false)
    .describe("Give Grafana a CloudWatch data source (uid `cloudwatch`, the environment's region), read as its role `<env>-grafana`: CloudWatch's metrics and alarms, read-only (AWS's AmazonGrafanaCloudWatchAccess, without its Logs and cross-account actions). Needs a platform section."),
})
  .prefault({})
  .describe("Grafana's data sources besides Prometheus.");

export const observabilitySchema = strict({
  alerting: alertingSchema.prefault({}),
  alarms: alarmsSchema,
  tracing: tracingSchema,
  grafana: grafanaSchema,
})
  .prefault({})
  .describe("Who is told when something breaks, the CloudWatch alarms, and traces (docs/observability.md).");

export type ObservabilityConfig = z.output<typeof observabilitySchema>;
export type AlertingConfig = z.output<typeof alertingSchema>;
export type AlarmsConfig = z.output<typeof alarmsSchema>;
export type TracingConfig = z.output<typeof tracingSchema>;
