import { type FieldProblem } from "./checks";
import { didYouMean } from "./near";
import { type ReceiverType } from "./observability-schema";
import { alertTopicName, receiverEntries } from "./observability";
import { type EnvironmentConfig } from "./schema";

/**
 * Checks of `observability.alerting` that need more than one field: routes and the heartbeat
 * name receivers that exist, once each; a heartbeat is a receiver a ping a minute suits; a
 * production environment pages someone and has a dead man's switch. The receivers' own fields
 * are the schema's (observability-schema.ts).
 *
 * Without a platform section there is no Alertmanager (it runs in `<env>-platform`), but the
 * CloudWatch alarms still notify the SNS topic `<env>-alerts` made by `<env>-network`, whose
 * subscribers are the email receivers' addresses: email receivers work there, the others
 * reach no one (a warning, {@link observabilityWarnings}), and a production environment's
 * critical route must then hold an email receiver.
 */

/**
 * The receiver types a heartbeat may be: a ping URL, which the heartbeat service expects every
 * few minutes. Not PagerDuty's Events API: it deduplicates the Watchdog's events into one open
 * alert and does nothing when they stop (PagerDuty's heartbeat monitors are ping URLs: webhooks).
 */
const HEARTBEAT_TYPES: readonly ReceiverType[] = ["webhook"];
const HEARTBEAT_ALLOWED = "a webhook receiver, a heartbeat service's ping URL (healthchecks.io, Dead Man's Snitch, a PagerDuty heartbeat monitor's URL)";

const AT = "observability.alerting";

export function checkObservability(env: EnvironmentConfig): FieldProblem[] {
  const { alerting } = env.observability;
  const problems: FieldProblem[] = [];
  const names = receiverEntries(env).map(([name]) => name);
  const allowed = names.join(", ") || "none: observability.alerting.receivers is empty";
  const unknown = (field: string, name: string) => problems.push({ field, value: name, message: `is not a receiver of this environment${didYouMean(name, names)}; allowed: ${allowed}` });
  for (const severity of ["critical", "warning"] as const) {
    const route = alerting.routes[severity];
    route.forEach((name, i) => {
      if (!names.includes(name)) unknown(`${AT}.routes.${severity}.${i}`, name);
    });
    if (new Set(route).size !== route.length) problems.push({ field: `${AT}.routes.${severity}`, value: route, message: "names a receiver twice; list each once (it would get every alert twice)" });
  }
  const heartbeat = alerting.heartbeat;
  const heartbeatType = heartbeat === undefined ? undefined : alerting.receivers[heartbeat]?.type;
  if (heartbeat !== undefined && heartbeatType === undefined) unknown(`${AT}.heartbeat`, heartbeat);
  if (heartbeatType !== undefined && !HEARTBEAT_TYPES.includes(heartbeatType)) {
    problems.push({
      field: `${AT}.heartbeat`,
      value: heartbeat,
      message: `is ${heartbeatType === "email" ? "an" : "a"} ${heartbeatType} receiver: the heartbeat gets the always-firing Watchdog alert every minute, ${{ slack: "which would post to the channel every minute, and nothing would notice the pings stop", email: "which would mail the addresses every minute, and nothing would notice the pings stop", pagerduty: "which PagerDuty's Events API folds into one open alert, and nothing happens when the pings stop" }[heartbeatType as "slack" | "email" | "pagerduty"]}; allowed: ${HEARTBEAT_ALLOWED}`,
    });
  }
  if (env.production) problems.push(...productionProblems(env));
  return problems;
}

/** A production environment pages someone for critical alerts, and knows when its alerting itself dies. */
function productionProblems(env: EnvironmentConfig): FieldProblem[] {
  const { alerting } = env.observability;
  const problems: FieldProblem[] = [];
  const critical = alerting.routes.critical.filter((name) => alerting.receivers[name] !== undefined);
  const delivered = env.platform ? critical : critical.filter((name) => alerting.receivers[name]?.type === "email");
  if (!delivered.length) {
    const why = env.platform
      ? "a production environment must tell someone of critical alerts (the service is down or losing data): list at least one receiver, the one that pages"
      : "a production environment must tell someone of critical alerts; without a platform section there is no Alertmanager, so only email receivers get them (the CloudWatch alarms, through the SNS topic): list an email receiver, or add a platform section";
    problems.push({ field: `${AT}.routes.critical`, value: alerting.routes.critical, message: `${why} (receivers: ${receiverEntries(env).map(([n]) => n).join(", ") || "none: add one under observability.alerting.receivers"})` });
  }
  // The Watchdog comes from Prometheus: without a platform section there is nothing to ping.
  if (env.platform && alerting.heartbeat === undefined) {
    problems.push({
      field: `${AT}.heartbeat`,
      value: alerting.heartbeat,
      message: `is required in a production environment: name ${HEARTBEAT_ALLOWED} whose service pages when the Watchdog's pings stop, so that a dead Prometheus or Alertmanager reaches someone (docs/observability.md, "Heartbeat"); webhook receivers here: ${receiverEntries(env).filter(([, r]) => HEARTBEAT_TYPES.includes(r.type)).map(([n]) => n).join(", ") || "none: add one under observability.alerting.receivers"}`,
    });
  }
  return problems;
}

/**
 * Valid alerting config that delivers nothing: a non-production environment whose alerts go
 * nowhere, and receivers (or a heartbeat) that only Alertmanager serves in an environment
 * without a platform section.
 */
export function observabilityWarnings(env: EnvironmentConfig): FieldProblem[] {
  const { alerting } = env.observability;
  const warnings: FieldProblem[] = [];
  const routed = alerting.routes.critical.length + alerting.routes.warning.length;
  if (!env.production && routed === 0) {
    warnings.push({
      field: receiverEntries(env).length ? `${AT}.routes` : `${AT}.receivers`,
      message: "routes no alert to any receiver: this environment's alerts (the services', the platform's, the CloudWatch alarms') reach no one; add a chat receiver and list it in routes.critical and routes.warning",
    });
  }
  if (env.platform && env.production && env.platform.alertmanager.replicas === 1) {
    warnings.push({
      field: "platform.alertmanager.replicas",
      value: 1,
      message: "is 1 in a production environment: while a node drain moves its pod no alert is sent, and the heartbeat may page for a dead Alertmanager; 2 replicas form a cluster that deduplicates, with a PodDisruptionBudget",
    });
  }
  if (env.platform) return warnings;
  for (const [name, receiver] of receiverEntries(env)) {
    if (receiver.type === "email") continue;
    warnings.push({
      field: `${AT}.receivers.${name}`,
      message: `is a ${receiver.type} receiver, which Alertmanager (in ${env.name}-platform) sends to: this environment has no platform section, so nothing reaches it; only email receivers get the CloudWatch alarms, through the SNS topic ${alertTopicName(env)}`,
    });
  }
  if (alerting.heartbeat !== undefined) {
    warnings.push({ field: `${AT}.heartbeat`, message: `gets no ping: the Watchdog alert comes from Prometheus, which runs in ${env.name}-platform, and this environment has no platform section` });
  }
  return warnings;
}
