import path from "node:path";
import { type EnvironmentConfig, kafkaClusterName, loadEnvironments, serviceEntries } from "../../config";
import { type Dashboard, KNOWN_METRICS, MAX_UID_LENGTH, PROMETHEUS_DATASOURCE_UID, serviceDashboard, type ServiceDashboardProps } from "../../k8s/dashboards";
import { METRIC_PRESETS, PRESETS, resolveMetrics, serviceMetricNames, type ServiceMetrics } from "../../k8s/metric-presets";
import { type KubeObject, manifestObjects, type StackJson } from "../../k8s/validation/cluster-objects";
import { EXAMPLE_CONFIG, exampleSynth, fixtureInputs, fixtureSynth, ROOT, TEST_NOW } from "../helpers";

// Every dashboard the fixture and the example install (their `<env>-platform` stacks, as the
// global setup synthesized them), and a service dashboard of every preset, checked query by
// query: each metric name a panel asks for is one its exporter exports (the service's preset, or
// the sets of k8s/dashboards/known-metrics.ts), so no panel stays empty for a misspelt name.

/** PromQL's functions, aggregations and keywords: words of a query that are no metric. */
const PROMQL_WORDS = new Set(["sum", "avg", "max", "min", "count", "rate", "increase", "histogram_quantile", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"]);

/** The metric names a PromQL expression reads: what is left once strings, matchers, ranges, groupings and numbers are taken out. */
function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  return [...new Set((bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []).filter((word) => !PROMQL_WORDS.has(word)))];
}

/** Each query's metric names that neither the allowed names nor the known sets hold. */
function unknownNames(board: Dashboard, allowed: readonly string[]): string[] {
  return board.panels.flatMap((panel) => panel.targets.flatMap((t) => metricNamesOf(t.expr).filter((name) => !allowed.includes(name) && !KNOWN_METRICS.includes(name)).map((name) => `${panel.title}: ${name}`)));
}

/** The dashboards one environment's platform stack installs, from their ConfigMaps. */
function installed(synth: typeof fixtureSynth, env: string): Array<{ object: KubeObject; board: Dashboard }> {
  return manifestObjects(`${env}-platform`, synth.stack(`${env}-platform`) as StackJson)
    .map((p) => p.object)
    .filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard === "1")
    .map((object) => ({ object, board: JSON.parse(Object.values(object.data as Record<string, string>)[0]!) as Dashboard }));
}

const projects: Array<[string, typeof fixtureSynth, readonly EnvironmentConfig[]]> = [
  ["the fixture", fixtureSynth, fixtureInputs().environments],
  ["the example", exampleSynth, loadEnvironments({ configDir: path.join(ROOT, EXAMPLE_CONFIG), now: TEST_NOW })],
];
const cases = projects.flatMap(([project, synth, envs]) => envs.map((env) => [`${project}, ${env.name}`, synth, env] as const));

describe.each(cases)("the dashboards of %s", (_name, synth, env) => {
  const boards = installed(synth, env.name);
  const services = serviceEntries(env);

  it("are the platform's, Kafka's only with a streaming section, and one per service, each a ConfigMap the Grafana sidecar loads", () => {
    expect(boards.map((b) => b.board.uid).sort()).toEqual(["platform", ...(env.streaming ? ["kafka"] : []), ...services.map(([name]) => `service-${name}`)].sort());
    for (const { object, board } of boards) {
      expect(object.metadata).toEqual({ name: `dashboard-${board.uid}`, namespace: "monitoring", labels: { grafana_dashboard: "1" } });
      expect(Object.keys(object.data as object)).toEqual([`${board.uid}.json`]);
    }
  });

  it("parse, with short stable uids, unique panel ids, and every target on the chart's Prometheus data source", () => {
    for (const { board } of boards) {
      expect(board.uid.length).toBeLessThanOrEqual(MAX_UID_LENGTH);
      const ids = board.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(board.panels.length).toBeGreaterThan(0);
      for (const panel of board.panels) for (const target of panel.targets) expect(target.datasource).toEqual({ type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID });
    }
  });

  it("query only names the exporters export: each service's its preset's, the platform's and Kafka's the known sets", () => {
    for (const { board } of boards) {
      const service = services.find(([name]) => board.uid === `service-${name}`);
      const allowed = service && service[1].port !== undefined ? serviceMetricNames(resolveMetrics(service[1].metrics)) : [];
      expect({ uid: board.uid, unknown: unknownNames(board, allowed) }).toEqual({ uid: board.uid, unknown: [] });
    }
  });

  it("show each service what its preset exports, a worker none of it; Karpenter's pools only with Karpenter, Kafka's own cluster", () => {
    for (const [name, service] of services) {
      const board = boards.find((b) => b.board.uid === `service-${name}`)!.board;
      const names = new Set(board.panels.flatMap((p) => p.targets.flatMap((t) => metricNamesOf(t.expr))));
      const own = serviceMetricNames(resolveMetrics(service.metrics));
      expect({ name, uses: own.map((n) => names.has(n)) }).toEqual({ name, uses: own.map(() => service.port !== undefined) });
    }
    const platform = boards.find((b) => b.board.uid === "platform")!.board;
    expect(platform.panels.some((p) => p.title.startsWith("Karpenter"))).toBe(env.eks.karpenter);
    const kafka = boards.find((b) => b.board.uid === "kafka")?.board;
    if (env.streaming) expect(kafka!.panels.every((p) => p.targets.every((t) => t.expr.includes(`kafka_cluster="${kafkaClusterName(env)}"`)))).toBe(true);
  });
});

describe("a service's dashboard, for every preset", () => {
  const custom = { requestsTotal: "orders_requests_total", requestDuration: "orders_latency_seconds", saturationGauge: "orders_in_flight", statusLabel: "code", routeLabel: "route" };
  const props = (metrics: ServiceMetrics | undefined, kedaScaled = false): ServiceDashboardProps => ({ name: "orders", uid: "service-orders", namespace: "app", metrics, kedaScaled });

  it.each(METRIC_PRESETS)("%s: the four panels of reference design 003 from its names, then restarts and HPA replicas", (preset) => {
    const metrics = resolveMetrics(preset === "custom" ? { preset, custom } : { preset });
    const board = serviceDashboard(props(metrics));
    expect(board.panels.map((p) => p.title)).toEqual(["Request rate", "Latency, 95th percentile", "Error rate (5xx)", `Saturation: ${metrics.saturationGauge}`, "Saturation: CPU and memory of requests", "Pod restarts (per hour)", "HPA replicas"]);
    expect(unknownNames(board, serviceMetricNames(metrics))).toEqual([]);
    const queries = board.panels.flatMap((p) => p.targets.map((t) => t.expr)).join("\n");
    expect(queries).toContain(`sum by (${metrics.routeLabel}) (rate(${metrics.requestsTotal}{job="orders",namespace="app"}[5m]))`);
    expect(queries).toContain(`${metrics.statusLabel}=~"5.."`);
    // Another preset's names never appear.
    for (const other of Object.values(PRESETS).filter((p) => p.requestsTotal !== metrics.requestsTotal)) expect(queries).not.toContain(`${other.requestsTotal}{`);
  });

  it("a worker: no HTTP panel, and KEDA's HPA when KEDA scales it", () => {
    const board = serviceDashboard(props(undefined, true));
    expect(board.panels.map((p) => p.title)).toEqual(["Saturation: CPU and memory of requests", "Pod restarts (per hour)", "HPA replicas"]);
    expect(board.panels[2]!.targets.every((t) => t.expr.includes('horizontalpodautoscaler="keda-hpa-orders"'))).toBe(true);
  });

  it("the name check is not vacuous: a misspelt name, or a preset's name on another's dashboard, is found", () => {
    const starlette = resolveMetrics({ preset: "starlette-exporter" });
    expect(unknownNames(serviceDashboard(props({ ...starlette, requestsTotal: "starlette_request_total" })), serviceMetricNames(starlette))).toEqual(["Request rate: starlette_request_total", "Error rate (5xx): starlette_request_total"]);
    expect(unknownNames(serviceDashboard(props(starlette)), serviceMetricNames(resolveMetrics({ preset: "nestjs-prom" })))).toEqual([
      "Request rate: starlette_requests_total",
      "Latency, 95th percentile: starlette_request_duration_seconds_bucket",
      "Error rate (5xx): starlette_requests_total",
      "Saturation: starlette_requests_in_progress: starlette_requests_in_progress",
    ]);
    expect(metricNamesOf('sum by (le) (rate(a_bucket{job="x",le=~"1.."}[5m])) / on (pod) b')).toEqual(["a_bucket", "b"]);
  });
});
