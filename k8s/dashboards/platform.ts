import { dashboard, type Dashboard, type PanelSpec } from "./model";

/** Props of {@link platformDashboard}. */
export interface PlatformDashboardProps {
  /** The namespaces of the platform's add-ons, whose Deployments and DaemonSets are its health. */
  readonly addonNamespaces: readonly string[];
  /**
   * Karpenter's NodePools by name.
   * @default - none: Karpenter is off, and the dashboard has no pool panels
   */
  readonly karpenterPools?: readonly string[];
}

/** The platform dashboard's uid. */
export const PLATFORM_DASHBOARD_UID = "platform";

/** A regex alternative of exact names, for a `=~` matcher. */
const anyOf = (names: readonly string[]) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|");

/**
 * The cluster: its nodes (count, ready, CPU and memory from node-exporter, the chart's job
 * `node-exporter`: the MSK brokers' node exporters are another job), Karpenter's pools (their use
 * against their limits, and the nodes they launch and remove), and the add-ons' health
 * (available against desired replicas, per namespace).
 */
export function platformDashboard(props: PlatformDashboardProps): Dashboard {
  const node = 'job="node-exporter"';
  const namespaces = `namespace=~"${anyOf(props.addonNamespaces)}"`;
  const nodes: PanelSpec[] = [
    { title: "Nodes", type: "stat", unit: "short", queries: [{ expr: "count(kube_node_info)" }] },
    { title: "Nodes ready", type: "stat", unit: "short", queries: [{ expr: 'sum(kube_node_status_condition{condition="Ready",status="true"})' }] },
    { title: "Nodes not ready", type: "stat", unit: "short", queries: [{ expr: 'sum(kube_node_status_condition{condition="Ready",status=~"false|unknown"})' }] },
    { title: "Pods pending", type: "stat", unit: "short", queries: [{ expr: 'sum(kube_pod_status_phase{phase="Pending"})' }] },
    { title: "Node CPU use", unit: "percentunit", min: 0, max: 1, queries: [{ expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{${node},mode="idle"}[5m]))`, legend: "{{instance}}" }] },
    { title: "Node memory use", unit: "percentunit", min: 0, max: 1, queries: [{ expr: `1 - node_memory_MemAvailable_bytes{${node}} / node_memory_MemTotal_bytes{${node}}`, legend: "{{instance}}" }] },
  ];
  const pools = props.karpenterPools?.length ? `nodepool=~"${anyOf(props.karpenterPools)}"` : undefined;
  const karpenter: PanelSpec[] = pools
    ? [
        {
          title: "Karpenter pools: CPU provisioned of limit",
          unit: "short",
          min: 0,
          queries: [
            { expr: `sum by (nodepool) (karpenter_nodepools_usage{${pools},resource_type="cpu"})`, legend: "{{nodepool}} provisioned" },
            { expr: `sum by (nodepool) (karpenter_nodepools_limit{${pools},resource_type="cpu"})`, legend: "{{nodepool}} limit" },
          ],
        },
        {
          title: "Karpenter pools: memory provisioned of limit",
          unit: "bytes",
          min: 0,
          queries: [
            { expr: `sum by (nodepool) (karpenter_nodepools_usage{${pools},resource_type="memory"})`, legend: "{{nodepool}} provisioned" },
            { expr: `sum by (nodepool) (karpenter_nodepools_limit{${pools},resource_type="memory"})`, legend: "{{nodepool}} limit" },
          ],
        },
        {
          title: "Karpenter: nodes launched and removed (per hour)",
          unit: "short",
          min: 0,
          queries: [
            { expr: `sum by (nodepool) (increase(karpenter_nodeclaims_created_total{${pools}}[1h]))`, legend: "{{nodepool}} launched" },
            { expr: `sum by (nodepool) (increase(karpenter_nodeclaims_terminated_total{${pools}}[1h]))`, legend: "{{nodepool}} removed" },
          ],
        },
        { title: "Karpenter: disruptions by reason (per hour)", unit: "short", min: 0, queries: [{ expr: `sum by (nodepool, reason) (increase(karpenter_nodeclaims_disrupted_total{${pools}}[1h]))`, legend: "{{nodepool}} {{reason}}" }] },
      ]
    : [];
  const addons: PanelSpec[] = [
    {
      title: "Add-ons: Deployments' replicas unavailable",
      unit: "short",
      min: 0,
      description: "Desired minus available replicas of every Deployment of the add-ons' namespaces: 0 is healthy.",
      queries: [{ expr: `sum by (namespace, deployment) (kube_deployment_spec_replicas{${namespaces}}) - sum by (namespace, deployment) (kube_deployment_status_replicas_available{${namespaces}})`, legend: "{{namespace}}/{{deployment}}" }],
    },
    {
      title: "Add-ons: DaemonSets' pods not ready",
      unit: "short",
      min: 0,
      queries: [{ expr: `sum by (namespace, daemonset) (kube_daemonset_status_desired_number_scheduled{${namespaces}}) - sum by (namespace, daemonset) (kube_daemonset_status_number_ready{${namespaces}})`, legend: "{{namespace}}/{{daemonset}}" }],
    },
    {
      title: "Add-ons: available of desired, by namespace",
      unit: "short",
      min: 0,
      queries: [
        { expr: `sum by (namespace) (kube_deployment_status_replicas_available{${namespaces}})`, legend: "{{namespace}} available" },
        { expr: `sum by (namespace) (kube_deployment_spec_replicas{${namespaces}})`, legend: "{{namespace}} desired" },
      ],
    },
    { title: "Add-ons: container restarts (per hour)", unit: "short", min: 0, queries: [{ expr: `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${namespaces}}[1h])) > 0`, legend: "{{namespace}}/{{pod}}" }] },
  ];
  return dashboard({ uid: PLATFORM_DASHBOARD_UID, title: "Platform: nodes, Karpenter, add-ons", tags: ["platform"], panels: [...nodes, ...karpenter, ...addons] });
}
