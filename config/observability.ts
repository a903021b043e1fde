import { clusterEnvironment } from "./naming";
import { type EnvironmentConfig } from "./schema";
import { type ReceiverConfig } from "./observability-schema";

/**
 * Names derived from the `observability` section, used by more than one stack: each is computed
 * from config, so a stack that notifies the topic or reads a receiver's secret needs no remote state.
 */

/** The environment's alert topic (SNS, made by `<env>-network`, applied first): the CloudWatch alarms and Alertmanager's email receivers publish to it. */
export function alertTopicName(env: Pick<EnvironmentConfig, "name" | "cluster">): string {
  // The topic is made by the network layer, the cluster host's: a tenant's alarms notify its host's topic.
  return `${clusterEnvironment(env)}-alerts`;
}

/** The alert topic's ARN. */
export function alertTopicArn(env: Pick<EnvironmentConfig, "name" | "account" | "cluster">): string {
  return `arn:aws:sns:${env.account.region}:${env.account.id}:${alertTopicName(env)}`;
}

/** The Secrets Manager secret that holds a receiver's credential (made by `<env>-platform`, its value put by an operator). */
export function receiverSecretName(env: Pick<EnvironmentConfig, "name">, receiver: string): string {
  return `${env.name}/platform/alerting/${receiver}`;
}

/** The key of a receiver's secret that holds its credential; email receivers have none (they publish to the alert topic). */
export function receiverSecretKey(receiver: ReceiverConfig): string | undefined {
  return { slack: "url", pagerduty: "routing_key", webhook: "url", email: undefined }[receiver.type];
}

/** The receivers of an environment, by name, in name order. */
export function receiverEntries(env: Pick<EnvironmentConfig, "observability">): Array<[string, ReceiverConfig]> {
  return Object.entries(env.observability.alerting.receivers).sort(([a], [b]) => a.localeCompare(b));
}

/** The email addresses subscribed to the alert topic: every email receiver's. */
export function alertEmailAddresses(env: Pick<EnvironmentConfig, "observability">): string[] {
  return [...new Set(receiverEntries(env).flatMap(([, r]) => (r.type === "email" ? r.addresses : [])))].sort();
}

/** Whether Grafana gets its CloudWatch data source and role (`observability.grafana.cloudWatch`, with a platform section). */
export function grafanaCloudWatchEnabled(env: Pick<EnvironmentConfig, "observability" | "platform">): boolean {
  return env.observability.grafana.cloudWatch && env.platform !== undefined;
}

/** Whether the environment runs the OpenTelemetry Collector (`observability.tracing.enabled`, with a platform section). */
export function tracingEnabled(env: Pick<EnvironmentConfig, "observability" | "platform">): boolean {
  return env.observability.tracing.enabled && env.platform !== undefined;
}
