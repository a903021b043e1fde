import { type AlertRule } from "./crds/monitoring";

/**
 * The platform's own alerts, beside kube-prometheus-stack's default rules. PlatformNodesNotReady
 * is a cluster-wide outage (`scope: cluster`): while it fires, Alertmanager holds back every
 * service's alerts (k8s/alerting.ts, inhibitRules), which are then its symptoms. The chart's
 * KubeNodeNotReady fires per node and stays: one node down is no outage.
 */
export function platformAlerts(runbookBaseUrl: string): AlertRule[] {
  return [
    {
      alert: "PlatformNodesNotReady",
      // kube-state-metrics' kube_node_status_condition: 1 for the node's current status of the
      // condition. Ready with status "true" at 0 is a node not ready (false or unknown).
      expr: '(count(kube_node_status_condition{condition="Ready",status="true"} == 0) or vector(0)) / count(kube_node_info) >= 0.5',
      for: "5m",
      labels: { severity: "critical", scope: "cluster" },
      annotations: {
        summary: "Half the cluster's nodes or more are not Ready",
        description: "{{ $value | humanizePercentage }} of the nodes have not been Ready for 5 minutes: the services' own alerts are held back while this fires.",
        runbook_url: `${runbookBaseUrl}platform-nodes-not-ready.md`,
      },
    },
  ];
}
