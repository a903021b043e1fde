import { k8s } from "cdk8s-plus-34";
import { type Construct } from "constructs";
import { kafkaDashboard, type KafkaDashboardProps } from "./kafka";
import { type Dashboard } from "./model";
import { platformDashboard, type PlatformDashboardProps } from "./platform";
import { serviceDashboard, type ServiceDashboardProps } from "./service";

/**
 * The label kube-prometheus-stack's Grafana sidecar loads dashboards from, in every namespace
 * (kube-prometheus-stack 88.5.3 values.yaml, `grafana.sidecar.dashboards`: `label:
 * grafana_dashboard`, `labelValue: "1"`, `searchNamespace: ALL`).
 */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/** The dashboards of an environment. */
export interface DashboardsProps {
  /** Where the ConfigMaps go: the monitoring namespace, beside Grafana. */
  readonly namespace: string;
  /** One dashboard per service. */
  readonly services: readonly ServiceDashboardProps[];
  /** The platform's. */
  readonly platform: PlatformDashboardProps;
  /**
   * The MSK cluster's.
   * @default - none: the environment has no streaming section
   */
  readonly kafka?: KafkaDashboardProps;
}

/** Every dashboard of an environment: the platform's, Kafka's (with streaming), one per service. */
export function dashboardsOf(props: DashboardsProps): Dashboard[] {
  return [platformDashboard(props.platform), ...(props.kafka ? [kafkaDashboard(props.kafka)] : []), ...props.services.map(serviceDashboard)];
}

/** A ConfigMap per dashboard, `dashboard-<uid>`, holding `<uid>.json` (indented, so a plan shows a change line by line). */
export function addDashboardConfigMaps(scope: Construct, props: DashboardsProps): void {
  for (const board of dashboardsOf(props)) {
    new k8s.KubeConfigMap(scope, `dashboard-${board.uid}`, {
      metadata: { name: `dashboard-${board.uid}`, namespace: props.namespace, labels: { ...DASHBOARD_LABEL } },
      data: { [`${board.uid}.json`]: JSON.stringify(board, null, 2) },
    });
  }
}
