import { ERROR_STATUS, type ServiceMetricNames } from "../metric-presets";
import { dashboard, type Dashboard, type PanelSpec } from "./model";

/** One service, as its dashboard needs it. */
export interface ServiceDashboardProps {
  /** The service's name: its Deployment, container, Service (the scrape's `job`) and HPA are named so. */
  readonly name: string;
  /** Its dashboard's uid (config/services.ts, serviceDashboardUid): its alerts name it. */
  readonly uid: string;
  readonly namespace: string;
  /**
   * Its HTTP metrics' names.
   * @default - none: a worker with no port, which serves no HTTP and is not scraped
   */
  readonly metrics?: ServiceMetricNames;
  /** Whether KEDA scales it (its HPA is then KEDA's, `keda-hpa-<name>`). */
  readonly kedaScaled: boolean;
}

/** A service's dashboard title, as Grafana lists it. */
export function serviceDashboardTitle(name: string): string {
  return `Service: ${name}`;
}

/** The HPA that scales a service: the chart's, named as the service, or KEDA's (`keda-hpa-<ScaledObject>`, KEDA's default name). */
export function hpaNameOf(name: string, kedaScaled: boolean): string {
  return kedaScaled ? `keda-hpa-${name}` : name;
}

/**
 * Reference design 003's four panels (request rate, p95 latency, error rate, saturation), from
 * the service's preset, then pod restarts and HPA replicas (kube-state-metrics) and CPU and
 * memory against requests (cAdvisor). A worker gets the last three: it serves no requests.
 */
export function serviceDashboard(props: ServiceDashboardProps): Dashboard {
  const job = `job="${props.name}",namespace="${props.namespace}"`;
  const container = `namespace="${props.namespace}",container="${props.name}"`;
  const hpa = `namespace="${props.namespace}",horizontalpodautoscaler="${hpaNameOf(props.name, props.kedaScaled)}"`;
  const m = props.metrics;
  const http: PanelSpec[] = m
    ? [
        { title: "Request rate", unit: "reqps", min: 0, queries: [{ expr: `sum by (${m.routeLabel}) (rate(${m.requestsTotal}{${job}}[5m]))`, legend: `{{${m.routeLabel}}}` }] },
        { title: "Latency, 95th percentile", unit: "s", min: 0, description: "AppHighLatency fires above 1 s for 10 minutes.", queries: [{ expr: `histogram_quantile(0.95, sum by (le) (rate(${m.requestDuration}_bucket{${job}}[5m])))`, legend: "p95" }] },
        {
          title: "Error rate (5xx)",
          unit: "percentunit",
          min: 0,
          description: "AppHighErrorRate fires above 5% for 10 minutes.",
          queries: [{ expr: `sum(rate(${m.requestsTotal}{${job},${m.statusLabel}=~"${ERROR_STATUS}"}[5m])) / sum(rate(${m.requestsTotal}{${job}}[5m]))`, legend: "5xx of all" }],
        },
        { title: `Saturation: ${m.saturationGauge}`, unit: "short", min: 0, queries: [{ expr: `sum by (pod) (${m.saturationGauge}{${job}})`, legend: "{{pod}}" }] },
      ]
    : [];
  return dashboard({
    uid: props.uid,
    title: serviceDashboardTitle(props.name),
    tags: ["service", props.namespace],
    panels: [
      ...http,
      {
        title: "Saturation: CPU and memory of requests",
        unit: "percentunit",
        min: 0,
        queries: [
          { expr: `sum(rate(container_cpu_usage_seconds_total{${container}}[5m])) / sum(kube_pod_container_resource_requests{${container},resource="cpu"})`, legend: "CPU" },
          { expr: `sum(container_memory_working_set_bytes{${container}}) / sum(kube_pod_container_resource_requests{${container},resource="memory"})`, legend: "memory (its limit too)" },
        ],
      },
      { title: "Pod restarts (per hour)", unit: "short", min: 0, queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${container}}[1h]))`, legend: "{{pod}}" }] },
      {
        title: "HPA replicas",
        unit: "short",
        min: 0,
        description: "AppSaturated fires when current reaches max for 15 minutes.",
        queries: [
          { expr: `kube_horizontalpodautoscaler_status_current_replicas{${hpa}}`, legend: "current" },
          { expr: `kube_horizontalpodautoscaler_status_desired_replicas{${hpa}}`, legend: "desired" },
          { expr: `kube_horizontalpodautoscaler_spec_min_replicas{${hpa}}`, legend: "min" },
          { expr: `kube_horizontalpodautoscaler_spec_max_replicas{${hpa}}`, legend: "max" },
        ],
      },
    ],
  });
}
