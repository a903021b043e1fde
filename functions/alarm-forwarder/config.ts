/**
 * What the alarm forwarder is told about its environment: the receivers and which severity goes
 * to which (config's `observability.alerting`), with no credential, only where each one's secret
 * is. The Terraform side (modules/alerts/alarm-forwarder.ts) writes it as JSON into the function's
 * environment variable {@link CONFIG_VARIABLE}; the handler reads it back with
 * {@link parseForwarderConfig}, refusing anything it does not expect.
 */

/** The environment variable that holds the JSON. */
export const CONFIG_VARIABLE = "FORWARDER_CONFIG";

/** The severities the alarms carry (modules/alarms/alarm.ts, SEVERITY_PREFIX) and the routes name. */
export type Severity = "critical" | "warning";
export const SEVERITIES: readonly Severity[] = ["critical", "warning"];

/** PagerDuty's event severities (Events API v2, payload.severity). */
export type PagerDutySeverity = "critical" | "error" | "warning" | "info";
const PAGERDUTY_SEVERITIES: readonly string[] = ["critical", "error", "warning", "info"];

/** Where a receiver's credential is: a Secrets Manager secret, and the JSON key that holds it. */
export interface SecretRef {
  /** The secret's name (`<env>/platform/alerting/<receiver>`). */
  readonly secretName: string;
  /** Its JSON key: `url` (Slack, webhook) or `routing_key` (PagerDuty). */
  readonly secretKey: string;
}

/** A receiver the forwarder posts to. */
export type ForwardedReceiver =
  | (SecretRef & { readonly type: "slack"; readonly channel: string })
  | (SecretRef & { readonly type: "pagerduty"; readonly severity?: PagerDutySeverity })
  | (SecretRef & { readonly type: "webhook" });

/** An email receiver: subscribed to the alert topic itself, so the forwarder leaves it alone. */
export interface EmailReceiver {
  readonly type: "email";
}

export type ReceiverEntry = ForwardedReceiver | EmailReceiver;

/** The forwarder's whole configuration. */
export interface ForwarderConfig {
  /** The environment's name, in every message. */
  readonly environment: string;
  /** Receiver names by severity. */
  readonly routes: Readonly<Record<Severity, readonly string[]>>;
  /** The routed receivers, by name. */
  readonly receivers: Readonly<Record<string, ReceiverEntry>>;
  /**
   * The names of the forwarder's own alarms (its Errors): delivered on a best-effort basis, a
   * failure logged but never thrown, so that it cannot feed the metric it reports on.
   */
  readonly ownAlarms: readonly string[];
}

const KEY_OF: Readonly<Record<ForwardedReceiver["type"], string>> = { slack: "url", pagerduty: "routing_key", webhook: "url" };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string" && s !== "");

/** The configuration in `text` (the variable's value), or one error naming every problem. */
export function parseForwarderConfig(text: string | undefined): ForwarderConfig {
  const fail = (problems: string[]): never => {
    throw new Error(`alarm-forwarder is misconfigured: ${CONFIG_VARIABLE} ${problems.join("; ")}`);
  };
  if (text === undefined || text === "") return fail(["is not set"]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail(["is not JSON"]);
  }
  if (!isObject(parsed)) return fail(["must be a JSON object { environment, routes, receivers, ownAlarms }"]);
  const problems: string[] = [];
  const { environment, routes, receivers, ownAlarms } = parsed;
  if (typeof environment !== "string" || environment === "") problems.push("environment: must be the environment's name");
  if (!isStringList(ownAlarms)) problems.push("ownAlarms: must be a list of alarm names");
  if (!isObject(receivers)) problems.push("receivers: must be an object of receivers by name");
  else for (const [name, receiver] of Object.entries(receivers)) problems.push(...receiverProblems(name, receiver));
  if (!isObject(routes)) problems.push("routes: must be { critical: [...], warning: [...] }");
  else {
    for (const severity of SEVERITIES) {
      const names = routes[severity];
      if (!isStringList(names)) problems.push(`routes.${severity}: must be a list of receiver names`);
      else if (isObject(receivers)) for (const name of names.filter((n) => !(n in receivers))) problems.push(`routes.${severity}: "${name}" is not a receiver`);
    }
    for (const key of Object.keys(routes).filter((k) => !SEVERITIES.includes(k as Severity))) problems.push(`routes: unknown severity "${key}" (allowed: ${SEVERITIES.join(", ")})`);
  }
  if (problems.length > 0) fail(problems);
  return parsed as unknown as ForwarderConfig;
}

function receiverProblems(name: string, receiver: unknown): string[] {
  const at = `receivers.${name}`;
  if (!isObject(receiver)) return [`${at}: must be an object`];
  const { type } = receiver;
  if (type === "email") return [];
  if (type !== "slack" && type !== "pagerduty" && type !== "webhook") return [`${at}.type: ${JSON.stringify(type)} is not slack, pagerduty, webhook or email`];
  const problems: string[] = [];
  if (typeof receiver.secretName !== "string" || receiver.secretName === "") problems.push(`${at}.secretName: must be the name of its secret`);
  if (receiver.secretKey !== KEY_OF[type]) problems.push(`${at}.secretKey: must be "${KEY_OF[type]}" for ${type}`);
  if (type === "slack" && (typeof receiver.channel !== "string" || receiver.channel === "")) problems.push(`${at}.channel: must be a Slack channel`);
  if (type === "pagerduty" && receiver.severity !== undefined && !PAGERDUTY_SEVERITIES.includes(receiver.severity as string)) {
    problems.push(`${at}.severity: ${JSON.stringify(receiver.severity)} is not ${PAGERDUTY_SEVERITIES.join(", ")}`);
  }
  return problems;
}
