import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { SECRET_VERSION_ANNOTATION } from "../../k8s/platform-objects";
import { addonRelease, type AddonProps, type ChartSource, placementOf } from "./addon";

/** The pinned chart. Its CRDs (ServiceMonitor, PrometheusRule, …) come with the bundled `crds` subchart on first install; CRD changes come with a major version, applied first (docs/how-to.md, "Upgrade an add-on"). */
export const MONITORING_CHART: ChartSource = { chart: "kube-prometheus-stack", repository: "https://prometheus-community.github.io/helm-charts", version: "88.5.3", namespace: "monitoring" };

/** The Secret (in the monitoring namespace) holding Grafana's admin user and password, synced from Secrets Manager. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

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
    const memory = props.memoryGiB ?? 2;
    const onNodes = placementOf(props);
    this.release = addonRelease(this, "release", MONITORING_CHART, {
      crds: { enabled: true },
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
        },
      },
      alertmanager: { enabled: true, alertmanagerSpec: { ...onNodes, resources: resources("50m", "128Mi", "256Mi"), storage: volume(10) } },
      grafana: { enabled: true, ...onNodes, resources: resources("100m", "256Mi", "512Mi"), podAnnotations: { [SECRET_VERSION_ANNOTATION]: String(props.grafanaAdminVersion ?? 1) }, admin: { existingSecret: props.grafanaAdminSecret ?? GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" } },
    }, { ...props, timeoutSeconds: 600 });
  }
}
