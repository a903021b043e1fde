import { type AppValues } from "./app-values";
import { type AlertRule } from "./crds/monitoring";

/**
 * The application's alerts: errors, latency, saturation. Each links to its runbook in
 * `docs/runbooks/`, which says what to check and what to do. The metric names are the ones
 * FastAPI's and NestJS's Prometheus instrumentations export (`http_requests_total`,
 * `http_request_duration_seconds`), labelled by `job` (the Service's name). A worker with no
 * port serves no requests, and gets the saturation alert alone.
 */
export function appAlerts(values: AppValues): AlertRule[] {
  const job = `job="${values.name}",namespace="${values.namespace}"`;
  const runbook = (page: string) => `${values.runbookBaseUrl}${page}.md`;
  const saturated = saturationAlert(values, runbook);
  if (values.port === undefined) return [saturated];
  return [
    {
      alert: "AppHighErrorRate",
      expr: `sum(rate(http_requests_total{${job},status=~"5.."}[5m])) / sum(rate(http_requests_total{${job}}[5m])) > 0.05`,
      for: "10m",
      labels: { severity: "critical" },
      annotations: { summary: `${values.name}: more than 5% of requests fail`, description: "{{ $value | humanizePercentage }} of requests answered 5xx over 5 minutes.", runbook_url: runbook("app-high-error-rate") },
    },
    {
      alert: "AppHighLatency",
      expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${job}}[5m]))) > 1`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: { summary: `${values.name}: p95 latency above 1 s`, description: "The 95th percentile of request duration is {{ $value | humanizeDuration }}.", runbook_url: runbook("app-high-latency") },
    },
    saturated,
  ];
}

/** The saturation alert, on the HPA that scales the service: the chart's, or KEDA's (`keda-hpa-<ScaledObject>`, KEDA's default name of the HPA it makes). */
function saturationAlert(values: AppValues, runbook: (page: string) => string): AlertRule {
  const hpa = `namespace="${values.namespace}",horizontalpodautoscaler="${values.kafkaLag ? `keda-hpa-${values.name}` : values.name}"`;
  return {
    alert: "AppSaturated",
    expr: `kube_horizontalpodautoscaler_status_current_replicas{${hpa}} >= kube_horizontalpodautoscaler_spec_max_replicas{${hpa}}`,
    for: "15m",
    labels: { severity: "warning" },
    annotations: { summary: `${values.name}: at its HPA maximum`, description: "The autoscaler has run at its maximum replicas for 15 minutes: demand exceeds capacity.", runbook_url: runbook("app-saturated") },
  };
}
