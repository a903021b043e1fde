import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { SECRET_VERSION_ANNOTATION } from "../../k8s/platform-objects";
import { addonRelease, type AddonProps, type ChartSource, placementOf, roleAnnotations } from "./addon";
import { type ScrapeJob } from "./scrape-jobs";

/** The pinned chart. Its CRDs (ServiceMonitor, PrometheusRule, …) come with the bundled `crds` subchart on first install; CRD changes come with a major version, applied first (docs/how-to.md, "Upgrade an add-on"). */
export const MONITORING_CHART: ChartSource = { chart: "kube-prometheus-stack", repository: "https://prometheus-community.github.io/helm-charts", version: "88.5.3", namespace: "monitoring" };

/** The Secret (in the monitoring namespace) holding Grafana's admin user and password, synced from Secrets Manager. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

/** Alertmanager's service account (not the chart's default name, so that the role `<env>-alertmanager` of `<env>-iam` can trust it by name). */
export const ALERTMANAGER_SERVICE_ACCOUNT = "alertmanager";
/** Grafana's service account when it reads CloudWatch: the role `<env>-grafana` trusts it. */
export const GRAFANA_SERVICE_ACCOUNT = "grafana";
/** The CloudWatch data source's uid. */
export const CLOUDWATCH_DATASOURCE_UID = "cloudwatch";

/** Requests, and a memory limit (CPU is not limited, to avoid throttling). */
const resources = (cpu: string, memory: string, memoryLimit: string) => ({ requests: { cpu, memory }, limits: { memory: memoryLimit } });

/** Props of {@link Monitoring}. */
export interface MonitoringProps extends AddonProps {
  /** Days Prometheus keeps metrics. */
  readonly retentionDays: number;
  /** Prometheus's volume, GiB. */
  readonly storageGiB: number;
  /**
   * Prometheus replicas, each with its own volume.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Memory each Prometheus replica requests, GiB; its limit is twice that (compaction peaks).
   * @default 2
   */
  readonly memoryGiB?: number;
  /** The encrypted gp3 StorageClass the volumes are made from. */
  readonly storageClass: string;
  /**
   * The Secret (in `monitoring`) that holds Grafana's admin user and password, synced from Secrets Manager.
   * @default GRAFANA_ADMIN_SECRET
   */
  readonly grafanaAdminSecret?: string;
  /**
   * The version of Grafana's admin password: a change restarts Grafana, which reads the password
   * only at start (its database is an emptyDir, recreated then from the synced Secret).
   * @default 1
   */
  readonly grafanaAdminVersion?: number;
  /**
   * Scrape jobs of targets outside the cluster (the MSK brokers' exporters), which no
   * ServiceMonitor can select.
   * @default - none
   */
  readonly scrapeJobs?: readonly ScrapeJob[];
  /**
   * Alertmanager's configuration and identity: the AlertmanagerConfig that is its whole
   * configuration (k8s/monitoring-objects.ts), and the role its email receivers publish to the
   * alert topic as.
   * @default - the chart's configuration: every alert to its null receiver
   */
  readonly alerting?: {
    /** The AlertmanagerConfig's name, in the release's namespace. */
    readonly configName: string;
    /** ARN of the role `<env>-alertmanager` (`<env>-iam`). */
    readonly roleArn: string;
    /** How its pods assume the role. */
    readonly identityMode: "irsa" | "pod-identity";
  };
  /**
   * The environment: Prometheus's `environment` external label, on every alert it sends, so
   * every message says which environment it comes from.
   * @default - no external label
   */
  readonly environment?: string;
  /**
   * Alertmanager replicas: from 2, a cluster (the operator's StatefulSet peers, which deduplicate
   * notifications) behind a PodDisruptionBudget.
   * @default 1
   */
  readonly alertmanagerReplicas?: number;
  /**
   * Grafana's CloudWatch data source, read as the role `<env>-grafana` (`<env>-iam`).
   * @default - none: Grafana reads Prometheus only
   */
  readonly cloudWatch?: {
    /** ARN of the role. */
    readonly roleArn: string;
    /** How Grafana's pods assume it. */
    readonly identityMode: "irsa" | "pod-identity";
    /** The data source's default region: the environment's. */
    readonly region: string;
  };
}

/**
 * kube-prometheus-stack: Prometheus (with a retention and a persistent encrypted volume),
 * Alertmanager, Grafana (its admin credentials from a synced Secret, never a value here) and the
 * operator. It selects every ServiceMonitor and PrometheusRule in the cluster, so the app's own
 * (in the app's namespace) are picked up.
 */
export class Monitoring extends Construct {
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const volume = (gib: number) => ({ volumeClaimTemplate: { spec: { storageClassName: props.storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gib}Gi` } } } } });
    const replicas = props.replicas ?? 1;
    const alertmanagers = props.alertmanagerReplicas ?? 1;
    const memory = props.memoryGiB ?? 2;
    const onNodes = placementOf(props);
    this.release = addonRelease(this, "release", MONITORING_CHART, {
      crds: { enabled: true },
      // EKS runs the control plane: its controller manager, scheduler and etcd are no targets
      // Prometheus can scrape, and kube-proxy serves its metrics on the node's loopback. The chart
      // would scrape them anyway, and its `absent(up{job=...} == 1)` rules (KubeControllerManagerDown,
      // KubeSchedulerDown, KubeProxyDown, critical) would page forever
      // (prometheus-community/helm-charts#3368, #4106; aws/containers-roadmap#1298). Their jobs and
      // rules are off; kube-proxy's health is its DaemonSet's, on the platform dashboard.
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
      defaultRules: { rules: { etcd: false, kubeControllerManager: false, kubeProxy: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false } },
      // Every component on the system nodes, which Karpenter never consolidates: on the apps
      // nodes a consolidation would evict Prometheus and lose its scrapes while it moves.
      // node-exporter is a DaemonSet of every node and tolerates their taints by default.
      // With requests, so the scheduler counts them against the system nodes (sized for them:
      // README, "The platform"), and they are not the first evicted under memory pressure.
      prometheusOperator: { ...onNodes, resources: resources("100m", "128Mi", "256Mi"), admissionWebhooks: { patch: { ...onNodes, resources: resources("10m", "32Mi", "64Mi") } } },
      "kube-state-metrics": { ...onNodes, resources: resources("50m", "128Mi", "256Mi") },
      prometheus: {
        // A PDB only with a second replica to fail over to: with one, minAvailable 1 would block
        // every drain of its node (a node group update fails with PodEvictionFailure), and
        // maxUnavailable 1 would protect nothing.
        podDisruptionBudget: replicas > 1 ? { enabled: true, minAvailable: replicas - 1 } : { enabled: false },
        prometheusSpec: {
          replicas,
          ...onNodes,
          resources: resources("500m", `${memory}Gi`, `${memory * 2}Gi`),
          retention: `${props.retentionDays}d`,
          storageSpec: volume(props.storageGiB),
          // Select the ServiceMonitors and rules of every namespace, not only this release's.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          additionalScrapeConfigs: [...(props.scrapeJobs ?? [])],
          ...(props.environment ? { externalLabels: { environment: props.environment } } : {}),
        },
      },
      alertmanager: {
        enabled: true,
        ...alertmanagerValues(props),
        // As Prometheus's: a PDB only with a second replica to fail over to.
        podDisruptionBudget: alertmanagers > 1 ? { enabled: true, minAvailable: alertmanagers - 1 } : { enabled: false },
        alertmanagerSpec: { replicas: alertmanagers, ...onNodes, resources: resources("50m", "128Mi", "256Mi"), storage: volume(10), ...alertmanagerSpecValues(props) },
      },
      grafana: { enabled: true, ...onNodes, resources: resources("100m", "256Mi", "512Mi"), podAnnotations: { [SECRET_VERSION_ANNOTATION]: String(props.grafanaAdminVersion ?? 1) }, admin: { existingSecret: props.grafanaAdminSecret ?? GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" } , ...grafanaCloudWatchValues(props) },
    }, { ...props, timeoutSeconds: 600 });
  }
}

/**
 * Grafana's CloudWatch data source, provisioned (kube-prometheus-stack's
 * `grafana.additionalDataSources`), with the AWS SDK's default credentials (`authType: default`):
 * the service account's web identity (IRSA) or Pod Identity, never a key in values (Grafana's
 * docs, "Amazon CloudWatch data source", "Configure AWS authentication").
 */
function grafanaCloudWatchValues(props: MonitoringProps): Record<string, unknown> {
  if (!props.cloudWatch) return {};
  return {
    serviceAccount: { create: true, name: GRAFANA_SERVICE_ACCOUNT, annotations: roleAnnotations(props.cloudWatch.identityMode, props.cloudWatch.roleArn) },
    additionalDataSources: [{ name: "CloudWatch", uid: CLOUDWATCH_DATASOURCE_UID, type: "cloudwatch", access: "proxy", editable: false, jsonData: { authType: "default", defaultRegion: props.cloudWatch.region } }],
  };
}

/**
 * Alertmanager's service account, named and annotated for its role (IRSA; Pod Identity's
 * association is in `<env>-iam`): the SNS notifier signs with the default credential chain when
 * sigv4 has no keys (prometheus-operator pkg/alertmanager/amcfg.go, convertSnsConfig).
 */
function alertmanagerValues(props: MonitoringProps): Record<string, unknown> {
  if (!props.alerting) return {};
  return { serviceAccount: { create: true, name: ALERTMANAGER_SERVICE_ACCOUNT, annotations: roleAnnotations(props.alerting.identityMode, props.alerting.roleArn) } };
}

/**
 * The AlertmanagerConfig used as the global configuration (`alertmanagerSpec.alertmanagerConfiguration`,
 * chart 88.5.3; the CRD's field "takes precedence over the `configSecret` field", so the chart's
 * own `alertmanager.config` secret is ignored). No credential is a value here: the operator reads
 * them from the Secret the AlertmanagerConfig names.
 */
function alertmanagerSpecValues(props: MonitoringProps): Record<string, unknown> {
  return props.alerting ? { alertmanagerConfiguration: { name: props.alerting.configName } } : {};
}
