import { Chart, type ChartProps } from "cdk8s";
import { type Construct } from "constructs";
import { type ReceiverConfig } from "../config/observability-schema";
import { alertmanagerConfigSpec, type AlertingProps } from "./alerting";
import { AlertmanagerConfig, type SecretKeySelector } from "./crds/alertmanager-config";
import { ExternalSecret } from "./crds/external-secrets";
import { type AlertRule, PrometheusRule } from "./crds/monitoring";
import { platformAlerts } from "./platform-alerts";

/** The AlertmanagerConfig that is Alertmanager's whole configuration (modules/addons/monitoring.ts names it). */
export const ALERTMANAGER_CONFIG = "platform-alerting";
/** The Secret (in the monitoring namespace) that holds every receiver's credential, one key each. */
export const RECEIVERS_SECRET = "alertmanager-receivers";

/** The key of {@link RECEIVERS_SECRET} that holds one receiver's credential: `<receiver>.<key of its Secrets Manager secret>`. */
export const receiverSecretKeyOf = (name: string, key: string) => `${name}.${key}`;

/** One receiver and where its credential is in Secrets Manager. */
export interface ReceiverSource {
  readonly name: string;
  readonly receiver: ReceiverConfig;
  /**
   * Its secret (`<env>/platform/alerting/<name>`) and the JSON key there.
   * @default - none: an email receiver publishes to the topic as the pod's role
   */
  readonly secret?: { readonly name: string; readonly key: string };
}

/** Props of {@link MonitoringObjects}. */
export interface MonitoringObjectsProps extends ChartProps {
  /** The monitoring namespace: the Alertmanager object's, where its AlertmanagerConfig and Secret must be. */
  readonly namespace: string;
  /** The ClusterSecretStore the ExternalSecret reads (k8s/platform-objects.ts). */
  readonly secretStore: string;
  /** The environment (in every message). */
  readonly environment: string;
  /** The receivers, in name order. */
  readonly receivers: readonly ReceiverSource[];
  /** The routes, heartbeat, repeat interval and alert topic. */
  readonly alerting: Pick<AlertingProps, "routes" | "heartbeat" | "repeatHours" | "topic">;
  /** Where the platform alerts' runbooks are (`…/docs/runbooks/`). */
  readonly runbookBaseUrl: string;
  /**
   * More alert groups of the platform, by group name (one PrometheusRule each).
   * @default - none
   */
  readonly ruleGroups?: Readonly<Record<string, readonly AlertRule[]>>;
}

/**
 * The monitoring stack's own objects, whose CRDs the monitoring release brings: Alertmanager's
 * configuration (an AlertmanagerConfig, typed and validated against its CRD), the ExternalSecret
 * that syncs the receivers' credentials into one Secret the operator reads, and the platform's
 * PrometheusRules. Installed by the `monitoring-objects` release, after the monitoring release.
 */
export class MonitoringObjects extends Chart {
  constructor(scope: Construct, id: string, props: MonitoringObjectsProps) {
    super(scope, id, props);
    const { namespace } = props;
    const withSecret = props.receivers.filter((r) => r.secret !== undefined);
    const selectors = new Map<string, SecretKeySelector>(withSecret.map((r) => [r.name, { name: RECEIVERS_SECRET, key: receiverSecretKeyOf(r.name, r.secret!.key) }]));
    if (withSecret.length) {
      new ExternalSecret(this, "receivers", {
        metadata: { name: RECEIVERS_SECRET, namespace },
        spec: {
          // A credential put in Secrets Manager reaches Alertmanager within minutes (or at once:
          // docs/observability.md, "Credentials"). Until every one has a value, External Secrets
          // makes no Secret (SecretSyncedError names the secret), and the operator generates no
          // new configuration (docs/observability.md, "Before the credentials are put").
          refreshInterval: "5m",
          secretStoreRef: { kind: "ClusterSecretStore", name: props.secretStore },
          target: { name: RECEIVERS_SECRET, creationPolicy: "Owner" },
          data: withSecret.map((r) => ({ secretKey: selectors.get(r.name)!.key, remoteRef: { key: r.secret!.name, property: r.secret!.key } })),
        },
      });
    }
    new AlertmanagerConfig(this, "alertmanager-config", {
      metadata: { name: ALERTMANAGER_CONFIG, namespace },
      spec: alertmanagerConfigSpec({
        ...props.alerting,
        environment: props.environment,
        receivers: props.receivers.map((r) => [r.name, r.receiver] as const),
        credentialOf: (name) => selectors.get(name),
      }),
    });
    const groups: Record<string, readonly AlertRule[]> = { platform: platformAlerts(props.runbookBaseUrl), ...props.ruleGroups };
    for (const [group, rules] of Object.entries(groups)) {
      new PrometheusRule(this, `rules-${group}`, { metadata: { name: `platform-${group}`, namespace }, spec: { groups: [{ name: `platform-${group}`, rules }] } });
    }
  }
}
