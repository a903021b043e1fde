/**
 * The CloudWatch alarm state changes in an SNS event, read strictly: whatever cannot be routed
 * (not an SNS record, a message that is not an alarm's JSON, a description without a severity)
 * is an error that names what it got, so the invocation fails and the message is kept.
 *
 * An alarm that notifies SNS publishes a JSON message: AlarmName, AlarmDescription, AWSAccountId,
 * NewStateValue, NewStateReason, StateChangeTime ("2015-06-03T17:43:27.123+0000"), Region (the
 * region's long name, "EU (Ireland)"), AlarmArn, OldStateValue and Trigger (the metric, or the
 * metric queries, of the alarm).
 * @see https://github.com/aws/aws-lambda-go/blob/main/events/sns.go (CloudWatchAlarmSNSPayload) and its testdata cloudwatch-alarm-sns-payload-*.json
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html (the event: Records[].Sns.Message)
 */
import { type Severity } from "./config";

/**
 * The severity prefix of an alarm's description, as modules/alarms/alarm.ts writes it
 * (SEVERITY_PREFIX there; a test checks that both agree: the bundle must not import the module).
 */
export const DESCRIPTION_SEVERITY = /^\[(critical|warning)\] /;
/** How the description ends: the runbook's link (modules/alarms/alarm.ts). */
const RUNBOOK_SUFFIX = / Runbook: (\S+)$/;

/** One alarm's change of state, as the forwarder delivers it. */
export interface AlarmChange {
  readonly name: string;
  /** The alarm's ARN (CloudWatch sends it; older examples lack it). */
  readonly arn?: string;
  /** ALARM (it fires) or OK (it cleared). */
  readonly state: "ALARM" | "OK";
  readonly previousState?: string;
  readonly severity: Severity;
  /** The description less its severity and runbook: what is wrong. */
  readonly summary: string;
  readonly runbookUrl?: string;
  /** CloudWatch's reason ("Threshold Crossed: ..."). */
  readonly reason: string;
  /** When the state changed, ISO 8601 in UTC. */
  readonly time: string;
  readonly accountId: string;
  /** The region's code (`eu-west-1`), from the ARN; the message's Region is its long name. */
  readonly region?: string;
  /** The metric's namespace and name, when the alarm watches one metric (not a query). */
  readonly metric?: { readonly namespace: string; readonly name: string; readonly dimensions: Readonly<Record<string, string>> };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every alarm change in a Lambda SNS event (SNS delivers one record per invocation; all are read). */
export function alarmChanges(event: unknown): AlarmChange[] {
  const records = isObject(event) ? event.Records : undefined;
  if (!Array.isArray(records) || records.length === 0) throw new Error(`alarm-forwarder: the event is not an SNS event (no Records): ${preview(event)}`);
  return records.map((record: unknown, i) => {
    const sns = isObject(record) && record.EventSource === "aws:sns" && isObject(record.Sns) ? record.Sns : undefined;
    if (!sns || typeof sns.Message !== "string") throw new Error(`alarm-forwarder: Records[${i}] is not an SNS record with a Message: ${preview(record)}`);
    return parseAlarmMessage(sns.Message, `Records[${i}] (SNS message ${String(sns.MessageId ?? "?")})`);
  });
}

/** One SNS message's alarm change. */
export function parseAlarmMessage(message: string, where: string): AlarmChange {
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    throw new Error(`alarm-forwarder: ${where} is not JSON, so not a CloudWatch alarm notification: ${preview(message)}`);
  }
  if (!isObject(body)) throw new Error(`alarm-forwarder: ${where} is not a JSON object: ${preview(message)}`);
  const { AlarmName: name, AlarmDescription: description, NewStateValue: state, NewStateReason: reason, StateChangeTime: changed, AWSAccountId: accountId, AlarmArn: arn } = body;
  const problems: string[] = [];
  if (typeof name !== "string" || name === "") problems.push("no AlarmName");
  if (state !== "ALARM" && state !== "OK") problems.push(`NewStateValue ${JSON.stringify(state)} is neither ALARM nor OK`);
  const severity = typeof description === "string" ? DESCRIPTION_SEVERITY.exec(description)?.[1] : undefined;
  if (!severity) problems.push(`AlarmDescription ${JSON.stringify(description ?? null)} does not start with [critical] or [warning], so it has no route`);
  const time = typeof changed === "string" ? isoTime(changed) : undefined;
  if (!time) problems.push(`StateChangeTime ${JSON.stringify(changed ?? null)} is not a time`);
  if (problems.length > 0) throw new Error(`alarm-forwarder: ${where} is not an alarm notification it can route: ${problems.join("; ")}`);
  const rest = (description as string).replace(DESCRIPTION_SEVERITY, "");
  const runbook = RUNBOOK_SUFFIX.exec(rest);
  return {
    name: name as string,
    arn: typeof arn === "string" && arn.startsWith("arn:") ? arn : undefined,
    state: state as "ALARM" | "OK",
    previousState: typeof body.OldStateValue === "string" ? body.OldStateValue : undefined,
    severity: severity as Severity,
    summary: runbook ? rest.slice(0, runbook.index) : rest,
    runbookUrl: runbook?.[1],
    reason: typeof reason === "string" ? reason : "",
    time: time as string,
    accountId: typeof accountId === "string" ? accountId : "",
    region: typeof arn === "string" ? arn.split(":")[3] || undefined : undefined,
    metric: metricOf(body.Trigger),
  };
}

/** CloudWatch's "2015-06-03T17:43:27.123+0000" as ISO 8601 in UTC; undefined if it is no time. */
function isoTime(text: string): string | undefined {
  const date = new Date(text.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The Trigger's metric, for a single-metric alarm (a query alarm's Trigger has Metrics instead). */
function metricOf(trigger: unknown): AlarmChange["metric"] {
  if (!isObject(trigger) || typeof trigger.Namespace !== "string" || typeof trigger.MetricName !== "string") return undefined;
  const dimensions = Array.isArray(trigger.Dimensions) ? trigger.Dimensions.filter(isObject) : [];
  return { namespace: trigger.Namespace, name: trigger.MetricName, dimensions: Object.fromEntries(dimensions.map((d) => [String(d.name), String(d.value)])) };
}

/** The start of what was received, for an error message (an alarm message holds no secret). */
function preview(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
