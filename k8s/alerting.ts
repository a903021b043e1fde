import { type ReceiverConfig } from "../config/observability-schema";
import { SERVICE_SCOPE } from "./app-alerts";
import { type AlertmanagerConfigSpec, type InhibitRule, type Matcher, type Receiver, type Route, type SecretKeySelector } from "./crds/alertmanager-config";

/**
 * Alertmanager's routes, receivers and inhibition rules, from `observability.alerting`, as the
 * spec of the AlertmanagerConfig that is Alertmanager's whole configuration
 * (`alertmanagerSpec.alertmanagerConfiguration.name`). Used so, the operator (v0.93.1) adds no
 * `namespace` matcher to its routes or inhibition rules: the CRD says so of the field
 * (crd-alertmanagers.yaml, `alertmanagerConfiguration.name`: "The operator will not enforce a
 * `namespace` label for routes and inhibition rules"), and pkg/alertmanager/amcfg.go,
 * `initializeFromAlertmanagerConfig`, converts its routes and rules without the enforcer that
 * `AddAlertmanagerConfigs` applies to the other AlertmanagerConfigs. It prefixes every receiver
 * name with `<namespace>/<object>/` (makeNamespacedString), routes and receivers alike.
 */

/** Props of {@link alertmanagerConfigSpec}. */
export interface AlertingProps {
  /** The environment, named in every message (it is also Prometheus's `environment` external label). */
  readonly environment: string;
  /** The receivers, by name, in name order. */
  readonly receivers: ReadonlyArray<readonly [string, ReceiverConfig]>;
  /** Which receivers each severity goes to. */
  readonly routes: { readonly critical: readonly string[]; readonly warning: readonly string[] };
  /**
   * The receiver of the Watchdog alert.
   * @default - none: the Watchdog is dropped
   */
  readonly heartbeat?: string;
  /** Hours before a still-firing alert is sent again. */
  readonly repeatHours: number;
  /** Where each receiver's credential is (the Secret the ExternalSecret writes); undefined for email. */
  readonly credentialOf: (name: string, receiver: ReceiverConfig) => SecretKeySelector | undefined;
  /** The alert topic (SNS) email receivers publish to, and its region. */
  readonly topic: { readonly arn: string; readonly region: string };
}

/** The receiver that drops what it gets; `_` keeps it apart from config's names (config/observability-schema.ts RECEIVER_NAME). */
export const NULL_RECEIVER = "_null";
/** The receiver of the Watchdog: the heartbeat's, without resolved notifications. */
export const HEARTBEAT_RECEIVER = "_heartbeat";

/**
 * Alerts the cluster-wide outage is made of: with one firing, the per-service alerts (those with
 * `scope: service`: k8s/app-alerts.ts) are symptoms and are held back. KubeAPIDown ships in
 * kube-prometheus-stack 88.5.3's default rules (group kubernetes-system-apiserver, from
 * kubernetes-mixin: `absent(up{job="apiserver"} == 1)` for 15m, critical); PlatformNodesNotReady
 * is the platform's own (k8s/platform-alerts.ts).
 */
export const CLUSTER_OUTAGE_ALERTS = ["KubeAPIDown", "PlatformNodesNotReady"] as const;

const match = (name: string, matchType: Matcher["matchType"], value: string): Matcher => ({ name, value, matchType });

/**
 * PagerDuty's severity from the alert's: the Events API v2 takes critical, error, warning or info
 * only (developer.pagerduty.com, "Send an Alert Event": payload.severity).
 */
const PAGERDUTY_SEVERITY = '{{ if eq .CommonLabels.severity "critical" }}critical{{ else if eq .CommonLabels.severity "warning" }}warning{{ else }}info{{ end }}';

export function alertmanagerConfigSpec(props: AlertingProps): AlertmanagerConfigSpec {
  const byName = new Map(props.receivers);
  // The routed receivers only: one that is only the heartbeat gets the Watchdog alone, as HEARTBEAT_RECEIVER.
  const routed = new Set([...props.routes.critical, ...props.routes.warning]);
  const receivers: Receiver[] = [{ name: NULL_RECEIVER }, ...props.receivers.filter(([name]) => routed.has(name)).map(([name, r]) => receiverOf(props, name, r, true))];
  const heartbeat = props.heartbeat === undefined ? undefined : byName.get(props.heartbeat);
  // Resolved notifications would count as pings: a dead Prometheus lets the Watchdog resolve once, and the heartbeat service would wait one more period.
  if (heartbeat) receivers.push({ ...receiverOf(props, props.heartbeat as string, heartbeat, false), name: HEARTBEAT_RECEIVER });
  // One child per receiver, each `continue`, so every receiver of the severity gets the alert.
  const fanOut = (names: readonly string[]): Route[] => (names.length ? names.map((receiver) => ({ receiver, continue: true })) : [{ receiver: NULL_RECEIVER }]);
  const route: Route = {
    receiver: NULL_RECEIVER,
    // environment is Prometheus's external label: grouped on, it is in every message's title.
    groupBy: ["environment", "alertname", "namespace", "service"],
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: `${props.repeatHours}h`,
    routes: [
      // The dead man's switch: a ping a minute (group_interval, then repeat_interval, 1m each), never to chat.
      { receiver: heartbeat ? HEARTBEAT_RECEIVER : NULL_RECEIVER, matchers: [match("alertname", "=", "Watchdog")], groupBy: ["alertname"], groupWait: "0s", groupInterval: "1m", repeatInterval: "1m" },
      // InfoInhibitor (severity none) and info alerts only inhibit or inform: dropped, as the chart's default config does.
      { receiver: NULL_RECEIVER, matchers: [match("severity", "=~", "none|info")] },
      { receiver: NULL_RECEIVER, matchers: [match("severity", "=", "critical")], routes: fanOut(props.routes.critical) },
      // Warnings, and anything of no known severity: an alert missing its label must not vanish.
      { receiver: NULL_RECEIVER, routes: fanOut(props.routes.warning) },
    ],
  };
  // Receivers first: the strict validator's deepest-path probe then lands in a strictly typed list (child routes are preserve-unknown-fields).
  return { receivers, route, inhibitRules: inhibitRules() };
}

/** A critical alert holds back the warning of the same alert and place; a cluster-wide outage holds back every service's alerts. */
export function inhibitRules(): InhibitRule[] {
  return [
    { sourceMatch: [match("severity", "=", "critical")], targetMatch: [match("severity", "=", "warning")], equal: ["alertname", "namespace", "service"] },
    { sourceMatch: [match("alertname", "=~", CLUSTER_OUTAGE_ALERTS.join("|"))], targetMatch: [match("scope", "=", SERVICE_SCOPE)] },
  ];
}

function receiverOf(props: AlertingProps, name: string, receiver: ReceiverConfig, sendResolved: boolean): Receiver {
  const credential = () => {
    const selector = props.credentialOf(name, receiver);
    if (!selector) throw new Error(`receiver ${name} (${receiver.type}) has no credential key`);
    return selector;
  };
  switch (receiver.type) {
    case "slack":
      return { name, slackConfigs: [{ apiURL: credential(), channel: receiver.channel, sendResolved }] };
    case "pagerduty":
      return { name, pagerdutyConfigs: [{ routingKey: credential(), severity: sendResolved ? (receiver.severity ?? PAGERDUTY_SEVERITY) : "info", sendResolved }] };
    case "webhook":
      return { name, webhookConfigs: [{ urlSecret: credential(), sendResolved }] };
    case "email":
      // Alertmanager truncates an SNS subject to SNS's 100 characters (notify/sns/sns.go).
      return { name, snsConfigs: [{ topicARN: props.topic.arn, sigv4: { region: props.topic.region }, subject: `[{{ .Status | toUpper }}] ${props.environment}: {{ .CommonLabels.alertname }}`, sendResolved }] };
  }
}
