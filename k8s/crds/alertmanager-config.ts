import { crdKind } from "./crd-kind";

/**
 * A typed AlertmanagerConfig (monitoring.coreos.com/v1alpha1, prometheus-operator v0.93.1, which
 * kube-prometheus-stack 88.5.3 ships): the fields this project sets, as the CRD defines them
 * (../shared/reference/crds/prometheus-operator-0.93.1/crd-alertmanagerconfigs.yaml).
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1alpha1.AlertmanagerConfig
 */

/** A key of a Secret in the AlertmanagerConfig's namespace: the operator reads it and writes the value into the config it generates. */
export interface SecretKeySelector {
  readonly name: string;
  readonly key: string;
}

/** One label matcher (Alertmanager ≥ 0.22's `matchType`). */
export interface Matcher {
  readonly name: string;
  readonly value: string;
  readonly matchType: "=" | "!=" | "=~" | "!~";
}

/**
 * A route. Child routes are `x-kubernetes-preserve-unknown-fields` in the CRD (the operator
 * decodes them as Route itself: `Route.ChildRoutes()`), so this type is their only check.
 */
export interface Route {
  readonly receiver: string;
  readonly matchers?: readonly Matcher[];
  readonly groupBy?: readonly string[];
  readonly groupWait?: string;
  readonly groupInterval?: string;
  readonly repeatInterval?: string;
  readonly continue?: boolean;
  readonly routes?: readonly Route[];
}

export interface SlackConfig {
  /** The incoming webhook's URL. */
  readonly apiURL: SecretKeySelector;
  readonly channel: string;
  readonly sendResolved: boolean;
}

export interface PagerDutyConfig {
  /** The Events API v2 integration's routing key. */
  readonly routingKey: SecretKeySelector;
  /** A template: PagerDuty takes critical, error, warning or info. */
  readonly severity: string;
  readonly sendResolved: boolean;
}

export interface WebhookConfig {
  /** Takes precedence over `url`, which the project never sets (it would be a value in the object). */
  readonly urlSecret: SecretKeySelector;
  readonly sendResolved: boolean;
}

export interface SnsConfig {
  readonly topicARN: string;
  /** Region only: the credentials come from the default chain, the pod's IRSA or Pod Identity role (no accessKey/secretKey). */
  readonly sigv4: { readonly region: string };
  readonly subject: string;
  readonly sendResolved: boolean;
}

/** A receiver; one with no configs drops what it gets (the `null` receiver). */
export interface Receiver {
  readonly name: string;
  readonly slackConfigs?: readonly SlackConfig[];
  readonly pagerdutyConfigs?: readonly PagerDutyConfig[];
  readonly webhookConfigs?: readonly WebhookConfig[];
  readonly snsConfigs?: readonly SnsConfig[];
}

export interface InhibitRule {
  readonly sourceMatch: readonly Matcher[];
  readonly targetMatch: readonly Matcher[];
  readonly equal?: readonly string[];
}

export interface AlertmanagerConfigSpec {
  readonly route: Route;
  readonly receivers: readonly Receiver[];
  readonly inhibitRules?: readonly InhibitRule[];
}

/** Alertmanager's routes, receivers and inhibition rules, as an object the operator turns into Alertmanager's config. */
export class AlertmanagerConfig extends crdKind<AlertmanagerConfigSpec>({ apiVersion: "monitoring.coreos.com/v1alpha1", kind: "AlertmanagerConfig" }) {}
