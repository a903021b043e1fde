/**
 * The HTTP metrics a service's instrumentation library exports, by preset: what its alerts
 * (k8s/app-alerts.ts) and its dashboard (k8s/dashboards/service.ts) query. Every name below is
 * the library's default, checked against its own source; each series also carries `job` (the
 * Service's name, set by the ServiceMonitor) and `namespace`.
 *
 * The error ratio matches the status label with `5..`, which matches every format below: a code
 * (`503`), prometheus-fastapi-instrumentator's groups (`5xx`) and @digikare/nestjs-prom's (`5XX`).
 */

/** The presets config offers (`services.<name>.metrics.preset`). */
export const METRIC_PRESETS = ["prometheus-fastapi-instrumentator", "starlette-exporter", "nestjs-prom", "custom"] as const;

/** A preset's name. */
export type MetricPresetName = (typeof METRIC_PRESETS)[number];

/** The preset a service gets when config names none: the names the project has always alerted on. */
export const DEFAULT_METRIC_PRESET: MetricPresetName = "prometheus-fastapi-instrumentator";

/** What a service's metrics are called: a preset's, or those config gives (`preset: custom`). */
export interface ServiceMetricNames {
  /** A counter of the requests served, labelled by status and route. */
  readonly requestsTotal: string;
  /** A histogram of request durations in seconds: its base name (the series are `<name>_bucket`, `_sum`, `_count`). */
  readonly requestDuration: string;
  /** A gauge of how busy the service is: requests in progress, or the event loop's lag. */
  readonly saturationGauge: string;
  /** The label of the requests counter holding the HTTP status. */
  readonly statusLabel: string;
  /** The label of the requests counter holding the route (handler or path). */
  readonly routeLabel: string;
}

/** A service's metrics, resolved: its preset and the names it stands for (AppValues.metrics). */
export interface ServiceMetrics extends ServiceMetricNames {
  readonly preset: MetricPresetName;
}

/** What a preset documents beside its names: where they come from and the status label's values. */
export interface MetricPreset extends ServiceMetricNames {
  /** The status label's values, as the library writes them. */
  readonly statusValues: string;
  /** What it takes in the application for every name to exist. */
  readonly setup: string;
  /** Where the names were checked (repository, file, version). */
  readonly source: string;
}

/** The status values every preset's error ratio counts as failures (see above). */
export const ERROR_STATUS = "5..";

/** The presets that name their metrics themselves, each checked against the library's source. */
export const PRESETS: Readonly<Record<Exclude<MetricPresetName, "custom">, MetricPreset>> = {
  // trallnag/prometheus-fastapi-instrumentator, src/prometheus_fastapi_instrumentator/metrics.py,
  // `default()` (7.0.x and 7.1.0): `http_requests_total` (method, status, handler);
  // `http_request_duration_seconds` (method, handler) with buckets 0.1, 0.5 and 1 only, so that
  // its 95th percentile never exceeds 1 s and a "p95 above 1 s" alert on it could never fire:
  // the latency comes from `http_request_duration_highr_seconds` (no labels, buckets up to 60 s).
  // middleware.py: `should_group_status_codes=True` writes `status[0] + "xx"`; the in-progress
  // gauge `http_requests_inprogress` exists with `should_instrument_requests_inprogress=True`.
  "prometheus-fastapi-instrumentator": {
    requestsTotal: "http_requests_total",
    requestDuration: "http_request_duration_highr_seconds",
    saturationGauge: "http_requests_inprogress",
    statusLabel: "status",
    routeLabel: "handler",
    statusValues: "2xx, 3xx, 4xx, 5xx (should_group_status_codes, on by default; codes such as 503 with it off)",
    setup: "Instrumentator(should_instrument_requests_inprogress=True).instrument(app).expose(app): the in-progress gauge is off by default",
    source: "trallnag/prometheus-fastapi-instrumentator 7.1.0, src/prometheus_fastapi_instrumentator/metrics.py (default) and middleware.py",
  },
  // stephenhillier/starlette_exporter, starlette_exporter/middleware.py (0.17 to 0.23, prefix
  // "starlette"): `<prefix>_requests_total` and `<prefix>_request_duration_seconds` (method, path,
  // status_code, app_name), `<prefix>_requests_in_progress` (method, app_name); status_code is the
  // response's code. Reference design 003's names.
  "starlette-exporter": {
    requestsTotal: "starlette_requests_total",
    requestDuration: "starlette_request_duration_seconds",
    saturationGauge: "starlette_requests_in_progress",
    statusLabel: "status_code",
    routeLabel: "path",
    statusValues: "the response's code: 200, 404, 503",
    setup: "app.add_middleware(PrometheusMiddleware, group_paths=True) and app.add_route(\"/metrics\", handle_metrics); group_paths keeps one path per route, not per URL",
    source: "stephenhillier/starlette_exporter 0.23, starlette_exporter/middleware.py",
  },
  // @digikare/nestjs-prom 1.x, lib/middleware/inbound.middleware.ts: with
  // `withHttpMiddleware: { enable: true }` one histogram `http_requests` (method, status, path),
  // so the requests are its `_count`; lib/utils/normalizers.ts, normalizeStatusCode: 2XX…5XX.
  // @willsoto/nestjs-prometheus has no HTTP metric of its own. The gauge is prom-client's default
  // `nodejs_eventloop_lag_seconds` (siimon/prom-client lib/metrics/eventLoopLag.js), which both
  // modules register (collectDefaultMetrics), the Node.js service's saturation.
  "nestjs-prom": {
    requestsTotal: "http_requests_count",
    requestDuration: "http_requests",
    saturationGauge: "nodejs_eventloop_lag_seconds",
    statusLabel: "status",
    routeLabel: "path",
    statusValues: "2XX, 3XX, 4XX, 5XX",
    setup: "PromModule.forRoot({ withHttpMiddleware: { enable: true } }) (withDefaultsMetrics stays on, for the event-loop gauge)",
    source: "digikare/nestjs-prom 1.x, lib/middleware/inbound.middleware.ts and lib/utils/normalizers.ts; siimon/prom-client lib/metrics/eventLoopLag.js",
  },
};

/** What config says of a service's metrics: a preset, or the names themselves. */
export interface MetricsSetting {
  readonly preset: MetricPresetName;
  /** The names, with `preset: custom` (config checks that all are there). */
  readonly custom?: Partial<ServiceMetricNames>;
}

/** A service's metric names: its preset's, or its own. */
export function resolveMetrics(setting: MetricsSetting): ServiceMetrics {
  if (setting.preset !== "custom") {
    const { requestsTotal, requestDuration, saturationGauge, statusLabel, routeLabel } = PRESETS[setting.preset];
    return { preset: setting.preset, requestsTotal, requestDuration, saturationGauge, statusLabel, routeLabel };
  }
  const custom = setting.custom ?? {};
  const missing = CUSTOM_FIELDS.filter((field) => !custom[field]);
  // Config refuses this first (config/metrics-checks.ts): reaching it is a bug, never a user's input.
  if (missing.length) throw new Error(`a custom metrics preset without ${missing.join(", ")}`);
  return { preset: "custom", ...(custom as ServiceMetricNames) };
}

/** The fields a custom preset must give, in the order they are documented. */
export const CUSTOM_FIELDS: ReadonlyArray<keyof ServiceMetricNames> = ["requestsTotal", "requestDuration", "saturationGauge", "statusLabel", "routeLabel"];

/** Every metric name a service's queries may use: its preset's three. */
export function serviceMetricNames(metrics: ServiceMetricNames): string[] {
  return [metrics.requestsTotal, `${metrics.requestDuration}_bucket`, metrics.saturationGauge];
}
