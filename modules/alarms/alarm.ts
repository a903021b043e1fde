import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { type Construct } from "constructs";

/**
 * How urgent an alarm is, the same words as Alertmanager's routes (`observability.alerting.routes`):
 * critical when users are failing now or data is about to be lost (a disk filling, no port to
 * connect out on, the ALB answering errors); warning when something degrades and a person should
 * look within hours (CPU, lag, connections, replication, dropped packets).
 */
export type AlarmSeverity = "critical" | "warning";

/** The prefix of an alarm's description that carries its severity: the forwarder routes by it. */
export const SEVERITY_PREFIX = /^\[(critical|warning)\] /;

/** What every alarm of the project shares: where it notifies, and its runbook. */
export interface AlarmNotification {
  /** The alert topic (`<env>-alerts`): notified on ALARM and on OK. */
  readonly topicArn: string;
  /** Base URL of docs/runbooks/ (ends with `/`). */
  readonly runbookBaseUrl: string;
}

/** One alarm: what it watches, as `aws_cloudwatch_metric_alarm` takes it, and what a person reads. */
export interface AlarmSpec extends Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmDescription" | "alarmActions" | "okActions" | "insufficientDataActions" | "actionsEnabled"> {
  /** The alarm's name (unique in the account and region). */
  readonly name: string;
  readonly severity: AlarmSeverity;
  /** One sentence: what is wrong when it fires. */
  readonly summary: string;
  /** The runbook's file in docs/runbooks/ (`aws-database-cpu.md`). */
  readonly runbook: string;
}

/**
 * A CloudWatch alarm that notifies the alert topic when it fires and when it clears, whose
 * description starts with its severity and ends with its runbook's link (SNS delivers the
 * description in every notification: `AlarmDescription`).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html
 */
export function notifyingAlarm(scope: Construct, id: string, notify: AlarmNotification, spec: AlarmSpec): CloudwatchMetricAlarm {
  const { name, severity, summary, runbook, ...metric } = spec;
  const description = `[${severity}] ${summary} Runbook: ${notify.runbookBaseUrl}${runbook}`;
  // CloudWatch refuses a description over 1024 characters.
  if (description.length > 1024) throw new Error(`${scope.node.path}/${id}: the alarm description of ${name} is ${description.length} characters; CloudWatch takes at most 1024`);
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: name,
    alarmDescription: description,
    actionsEnabled: true,
    alarmActions: [notify.topicArn],
    okActions: [notify.topicArn],
    ...metric,
  });
}
