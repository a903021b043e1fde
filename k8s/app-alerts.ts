import { type AppValues } from "./app-values";
import { type AlertRule } from "./crds/monitoring";
import { hpaNameOf } from "./dashboards/service";
import { ERROR_STATUS } from "./metric-presets";


/**
 * The `scope` label of a service's alerts: a cluster-wide outage holds back exactly these
 * (k8s/alerting.ts). Not `service`, which the operator puts on every series a ServiceMonitor
 * scrapes, so nearly every one of the chart's own alerts carries it too.
 */
export const SERVICE_SCOPE = "service";
/**
 * The application's alerts: errors, latency, saturation. Each links to its runbook in
 * `docs/runbooks/`, which says what to check and what to do, and names the service's Grafana
 * dashboard (`dashboard_uid`). The metric names are the service's preset's
 * (k8s/metric-presets.ts), labelled by `job` (the Service's name). A worker with no port serves
 * no requests, and gets the saturation alert alone. Every alert carries `service: <name>`: the
 * alert delivery inhibits per-service alerts by it during a cluster-wide outage.
 */
export function appAlerts(values: AppValues): AlertRule[] {
  const job = `job="${values.name}",namespace="${values.namespace}"`;
  const labels = (severity: AlertRule["labels"]["severity"]) => ({ severity, service: values.name, scope: SERVICE_SCOPE });
  const annotations = (page: string) => ({ runbook_url: `${values.runbookBaseUrl}${page}.md`, dashboard_uid: values.dashboardUid });
  const saturated = saturationAlert(values, labels("warning"), annotations("app-saturated"));
  if (values.port === undefined) return [saturated];
  const m = values.metrics;
  return [
    {
      alert: "AppHighErrorRate",
      expr: `sum(rate(${m.requestsTotal}{${job},${m.statusLabel}=~"${ERROR_STATUS}"}[5m])) / sum(rate(${m.requestsTotal}{${job}}[5m])) > 0.05`,
      for: "10m",
      labels: labels("critical"),
      annotations: { summary: `${values.name}: more than 5% of requests fail`, description: "{{ $value | humanizePercentage }} of requests answered 5xx over 5 minutes.", ...annotations("app-high-error-rate") },
    },
    {
      alert: "AppHighLatency",
      expr: `histogram_quantile(0.95, sum by (le) (rate(${m.requestDuration}_bucket{${job}}[5m]))) > 1`,
      for: "10m",
      labels: labels("warning"),
      annotations: { summary: `${values.name}: p95 latency above 1 s`, description: "The 95th percentile of request duration is {{ $value | humanizeDuration }}.", ...annotations("app-high-latency") },
    },
    saturated,
  ];
}

/** The saturation alert, on the HPA that scales the service: the chart's, or KEDA's. */
function saturationAlert(values: AppValues, labels: AlertRule["labels"], links: { runbook_url: string; dashboard_uid: string }): AlertRule {
  const hpa = `namespace="${values.namespace}",horizontalpodautoscaler="${hpaNameOf(values.name, values.kafkaLag !== undefined)}"`;
  return {
    alert: "AppSaturated",
    expr: `kube_horizontalpodautoscaler_status_current_replicas{${hpa}} >= kube_horizontalpodautoscaler_spec_max_replicas{${hpa}}`,
    for: "15m",
    labels,
    annotations: { summary: `${values.name}: at its HPA maximum`, description: "The autoscaler has run at its maximum replicas for 15 minutes: demand exceeds capacity.", ...links },
  };
}
