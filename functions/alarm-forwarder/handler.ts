/**
 * The Lambda entry point of the alarm forwarder, subscribed to the environment's alert topic
 * (`<env>-alerts`): for each CloudWatch alarm change it reads the severity from the alarm's
 * description and posts to every receiver config routes that severity to (Slack, PagerDuty, a
 * webhook; email receivers are the topic's own subscriptions), each with its credential read
 * from Secrets Manager.
 *
 * Anything that goes wrong (a message it cannot route, a secret without a value, a post that is
 * not answered 2xx) is logged as an error naming it, and the invocation fails: SNS invokes
 * asynchronously, so Lambda tries twice more, then keeps the event in the function's dead-letter
 * queue, and the function's Errors alarm fires (README.md). The forwarder's own alarms are the
 * exception: delivered best-effort, so their failures cannot feed the metric they report on.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
import { alarmChanges, type AlarmChange } from "./alarm";
import { CONFIG_VARIABLE, type ForwardedReceiver, type ForwarderConfig, parseForwarderConfig } from "./config";
import { PAGERDUTY_EVENTS_URL, pagerDutyEvent, slackMessage, webhookMessage } from "./payloads";
import { readSecretFromSecretsManager } from "../shared/secrets";

/** An HTTP answer, as much as the forwarder reads of it. */
export interface PostResult {
  readonly status: number;
  /** The start of the body (Slack's error codes are there: `invalid_payload`, `channel_is_archived`). */
  readonly body: string;
}

/** What a run needs from its surroundings; the handler takes them from Lambda, tests give their own. */
export interface ForwarderDependencies {
  /** The environment: {@link CONFIG_VARIABLE}. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The SecretString of a Secrets Manager secret. */
  readonly readSecret: (secretId: string) => Promise<string>;
  /** POSTs JSON to a URL. */
  readonly post: (url: string, body: unknown) => Promise<PostResult>;
  /** One JSON line to the function's log. */
  readonly log: (level: "info" | "error", record: Record<string, unknown>) => void;
}

/** What one run did, by alarm: the receivers posted to. */
export interface ForwarderResult {
  readonly delivered: Array<{ readonly alarm: string; readonly state: string; readonly receivers: string[] }>;
}

/** How long a post may take: the receivers are posted to at once, well inside the function's 30 s. */
const POST_TIMEOUT_MS = 8_000;

/** The Lambda handler ("index.handler" in the bundle). */
export async function handler(event: unknown): Promise<ForwarderResult> {
  return forward(event, {
    env: process.env,
    readSecret: readSecretFromSecretsManager,
    post: postJson,
    log: (level, record) => (level === "error" ? console.error : console.log)(JSON.stringify(record)),
  });
}

/** One run: reads the config and the event, delivers each change, and fails if any delivery did. */
export async function forward(event: unknown, deps: ForwarderDependencies): Promise<ForwarderResult> {
  const config = parseForwarderConfig(deps.env[CONFIG_VARIABLE]);
  let changes: AlarmChange[];
  try {
    changes = alarmChanges(event);
  } catch (error) {
    deps.log("error", { message: "alarm-forwarder cannot read the event", error: (error as Error).message });
    throw error;
  }
  const delivered: ForwarderResult["delivered"] = [];
  const failures: string[] = [];
  for (const change of changes) {
    const own = config.ownAlarms.includes(change.name);
    const names = config.routes[change.severity].filter((name) => config.receivers[name]?.type !== "email");
    const outcomes = await Promise.allSettled(names.map((name) => deliver(change, name, config.receivers[name] as ForwardedReceiver, config, deps)));
    const failed = outcomes.flatMap((o, i) => (o.status === "rejected" ? [`${names[i]}: ${(o.reason as Error).message}`] : []));
    for (const failure of failed) deps.log("error", { message: "alarm-forwarder could not deliver", alarm: change.name, state: change.state, failure, ...(own ? { bestEffort: true } : {}) });
    const sent = names.filter((_, i) => outcomes[i]?.status === "fulfilled");
    deps.log("info", { message: "alarm-forwarder delivered", alarm: change.name, state: change.state, severity: change.severity, receivers: sent });
    delivered.push({ alarm: change.name, state: change.state, receivers: sent });
    if (!own) failures.push(...failed.map((f) => `${change.name} (${change.state}) to ${f}`));
  }
  if (failures.length > 0) throw new Error(`alarm-forwarder: ${failures.length} deliver${failures.length === 1 ? "y" : "ies"} failed: ${failures.join("; ")}`);
  return { delivered };
}

/** Reads the receiver's credential and posts the change to it. Errors name the receiver, never the credential. */
async function deliver(change: AlarmChange, name: string, receiver: ForwardedReceiver, config: ForwarderConfig, deps: ForwarderDependencies): Promise<void> {
  const credential = await readCredential(receiver, deps);
  const request =
    receiver.type === "slack"
      ? { url: httpsUrl(credential, receiver), body: slackMessage(change, receiver, config.environment) }
      : receiver.type === "pagerduty"
        ? { url: PAGERDUTY_EVENTS_URL, body: pagerDutyEvent(change, receiver, config.environment, credential) }
        : { url: httpsUrl(credential, receiver), body: webhookMessage(change, name, config.environment) };
  let result: PostResult;
  try {
    result = await deps.post(request.url, request.body);
  } catch (error) {
    // fetch's errors name the host, never the path (where a Slack webhook keeps its token).
    throw new Error(`the ${receiver.type} post failed: ${(error as Error).message}`);
  }
  if (result.status < 200 || result.status > 299) throw new Error(`the ${receiver.type} endpoint answered ${result.status}${result.body ? `: ${result.body.slice(0, 200)}` : ""}`);
}

/** The credential in the receiver's secret: `{"url": ...}` or `{"routing_key": ...}`. */
async function readCredential(receiver: ForwardedReceiver, deps: ForwarderDependencies): Promise<string> {
  const put = `put it with: aws secretsmanager put-secret-value --secret-id ${receiver.secretName} --secret-string '{"${receiver.secretKey}": "..."}'`;
  let text: string;
  try {
    text = await deps.readSecret(receiver.secretName);
  } catch (error) {
    const { name, message } = error as Error;
    // A secret made with no value yet has no AWSCURRENT version: GetSecretValue says ResourceNotFound.
    if (name === "ResourceNotFoundException") throw new Error(`secret ${receiver.secretName} has no value (${message}): ${put}`);
    throw new Error(`reading secret ${receiver.secretName} failed: ${name}: ${message}`);
  }
  let value: unknown;
  try {
    value = (JSON.parse(text) as Record<string, unknown> | null)?.[receiver.secretKey];
  } catch {
    throw new Error(`secret ${receiver.secretName} is not JSON: ${put}`);
  }
  if (typeof value !== "string" || value.trim() === "") throw new Error(`secret ${receiver.secretName} has no "${receiver.secretKey}": ${put}`);
  return value.trim();
}

/** The secret's URL, if it is an https one (the function's security group allows 443 only). */
function httpsUrl(value: string, receiver: ForwardedReceiver): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "https:") throw new Error(`secret ${receiver.secretName}'s "${receiver.secretKey}" is not an https URL (the function may reach port 443 only)`);
  return url.toString();
}

/** POSTs JSON with Node's fetch, within {@link POST_TIMEOUT_MS}. */
async function postJson(url: string, body: unknown): Promise<PostResult> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(POST_TIMEOUT_MS) });
  return { status: response.status, body: (await response.text()).slice(0, 500) };
}

