/* eslint-disable @typescript-eslint/no-explicit-any -- values are plain JSON here */
import { existsSync, readFileSync } from "node:fs";
import Ajv from "ajv";
import path from "node:path";
import { parse } from "yaml";
import { ON_SHARED_NODES } from "../../modules/addons/addon";
import { OTEL_COLLECTOR_CHART, OTEL_COLLECTOR_IMAGE, OtelCollector, type OtelCollectorProps, serviceTracingEnvironment } from "../../modules/addons/otel-collector";
import { PASS_THROUGH_PATHS, unknownValueKeys } from "../../modules/helm/value-keys";
import { checkReleases, type SynthesizedRelease } from "../../scripts/chart-values";
import { resourcesOf, ROOT, synthScope, type SynthesizedStack } from "../helpers";

// The OpenTelemetry Collector add-on: pinned, its values keys the pinned chart has (its
// values.schema.json rejects unknown top-level keys), OTLP in, X-Ray out as its own role, on the
// system nodes; and the environment the services get to export to it.
const REFERENCE = path.resolve(ROOT, "..", "shared", "reference", "helm-charts");
const CHART_DIR = path.join(REFERENCE, `${OTEL_COLLECTOR_CHART.chart}-${OTEL_COLLECTOR_CHART.version}`);
const hasReference = existsSync(CHART_DIR);
const skipNote = hasReference ? "../shared/reference/helm-charts" : "skipped: ../shared/reference is not beside this clone; CI's charts job checks against the real chart";
const PROPS: OtelCollectorProps = { dependsOn: [], roleArn: "arn:aws:iam::123456789012:role/test-otel-collector", identityMode: "irsa", region: "eu-west-1", sourceNamespaces: ["app"] };
const release = (props: OtelCollectorProps = PROPS): SynthesizedRelease => {
  const json = JSON.parse(synthScope((scope) => new OtelCollector(scope, "otel-collector", props))) as SynthesizedStack;
  const [helm] = resourcesOf(json, "helm_release");
  return { stack: "test", name: "otel-collector_release", chart: String(helm!.chart), repository: String(helm!.repository), version: String(helm!.version), values: (helm!.values as string[]).map((v) => parse(v) as Record<string, unknown>) };
};
const values = (props?: OtelCollectorProps) => release(props).values[0] as Record<string, any>;

describe("the OpenTelemetry Collector add-on", () => {
  it("installs the pinned chart opentelemetry-collector 0.170.0 in deployment mode with the contrib image, which has the awsxray exporter", () => {
    const r = release();
    expect([r.chart, r.repository, r.version, OTEL_COLLECTOR_CHART.namespace]).toEqual(["opentelemetry-collector", "https://open-telemetry.github.io/opentelemetry-helm-charts", "0.170.0", "opentelemetry"]);
    expect(values()).toMatchObject({ mode: "deployment", image: { repository: "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib", tag: "0.158.0" }, command: { name: "otelcol-contrib" } });
  });

  (hasReference ? it : it.skip)(`runs the collector build the chart was released for: the image tag is its appVersion (${skipNote})`, () => {
    const chart = parse(readFileSync(path.join(CHART_DIR, "Chart.yaml"), "utf8")) as { appVersion: string };
    expect(OTEL_COLLECTOR_IMAGE.tag).toBe(chart.appVersion);
  });

  it("receives OTLP only (gRPC 4317, HTTP 4318): the chart's jaeger, zipkin and prometheus receivers and their ports are removed", () => {
    const v = values();
    expect(v.config.receivers).toEqual({ jaeger: null, zipkin: null, prometheus: null });
    expect(v.ports).toEqual({ "jaeger-compact": { enabled: false }, "jaeger-thrift": { enabled: false }, "jaeger-grpc": { enabled: false }, zipkin: { enabled: false } });
    expect(v.config.service.pipelines.traces.receivers).toEqual(["otlp"]);
  });

  it("has one traces pipeline: memory_limiter, then batch, then awsxray in the environment's region, and samples nothing itself", () => {
    const v = values({ ...PROPS, region: "us-east-2" });
    expect(v.config.service.pipelines).toEqual({ traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["awsxray"] }, logs: null, metrics: null });
    expect(v.config.exporters).toEqual({ debug: null, awsxray: { region: "us-east-2", local_mode: true } });
    expect(JSON.stringify(v.config)).not.toContain("probabilistic_sampler");
  });

  it("runs as the role <env>-otel-collector (IRSA's annotation; none with Pod Identity), without a Kubernetes API token", () => {
    expect(values().serviceAccount).toEqual({ create: true, name: "otel-collector", annotations: { "eks.amazonaws.com/role-arn": PROPS.roleArn }, automountServiceAccountToken: false });
    expect(values({ ...PROPS, identityMode: "pod-identity" }).serviceAccount.annotations).toEqual({});
  });

  it("admits spans from the services' namespace only, and runs non-root and read-only", () => {
    const v = values();
    expect(v.networkPolicy).toEqual({ enabled: true, allowIngressFrom: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "app" } } }] });
    expect(v.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(v.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(v.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } });
  });

  it("runs two replicas spread over nodes on the system nodes by default; one, unspread, where asked, on the placement given", () => {
    const two = values();
    expect([two.replicaCount, two.nodeSelector, two.topologySpreadConstraints.length]).toEqual([2, { "platform/node-group": "system" }, 1]);
    const one = values({ ...PROPS, replicas: 1, placement: ON_SHARED_NODES });
    expect([one.replicaCount, one.nodeSelector, one.topologySpreadConstraints]).toEqual([1, ON_SHARED_NODES.nodeSelector, []]);
  });

  (hasReference ? it : it.skip)(`passes the chart's values.schema.json once merged over its defaults, as Helm validates it at install (${skipNote})`, () => {
    // Helm's coalescing: maps merge, anything else replaces, null deletes the default key.
    const merge = (base: any, over: any): any => {
      if (!base || typeof base !== "object" || Array.isArray(base) || !over || typeof over !== "object" || Array.isArray(over)) return over;
      const out: Record<string, unknown> = { ...base };
      for (const [k, v] of Object.entries(over)) if (v === null) delete out[k]; else out[k] = merge(base[k], v);
      return out;
    };
    const defaults = parse(readFileSync(path.join(CHART_DIR, "values.yaml"), "utf8")) as Record<string, unknown>;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.join(CHART_DIR, "values.schema.json"), "utf8")) as object);
    for (const props of [PROPS, { ...PROPS, replicas: 1, identityMode: "pod-identity" as const }]) {
      const merged = merge(defaults, values(props));
      expect([validate(merged), validate.errors ?? []]).toEqual([true, []]);
      expect(Object.keys(merged.config.receivers)).toEqual(["otlp"]);
    }
  });

  (hasReference ? it : it.skip)(`sets only keys the pinned chart has, its values.schema.json included (${skipNote})`, () => {
    expect(checkReleases([release(), release({ ...PROPS, replicas: 1, identityMode: "pod-identity" })], REFERENCE)).toEqual([]);
  });
});

describe("the key check of the collector's config", () => {
  const defaults = { config: { exporters: { debug: {} }, receivers: { otlp: { protocols: {} } }, service: { pipelines: { traces: { receivers: [] } } } } };
  const paths = PASS_THROUGH_PATHS["opentelemetry-collector"];

  it("takes any component of the distribution below the component maps, which are the collector's, not the chart's", () => {
    expect(unknownValueKeys({ config: { exporters: { awsxray: { region: "eu-west-1" } }, connectors: { spanmetrics: {} } } }, defaults, undefined, "", paths)).toEqual([]);
    expect(unknownValueKeys({ config: { exporters: { awsxray: {} } } }, defaults)).toEqual(["config.exporters.awsxray"]);
  });

  it("still checks the rest of config against the chart's defaults", () => {
    expect(unknownValueKeys({ config: { service: { pipelinez: {} }, exporterz: {} } }, defaults, undefined, "", paths)).toEqual(["config.service.pipelinez", "config.exporterz"]);
  });
});

describe("the services' tracing environment", () => {
  it("points the SDKs at the collector's OTLP/HTTP port, names the service and its environment, and samples at the root", () => {
    expect(serviceTracingEnvironment({ name: "orders", environment: "dev", samplingPercent: 10 })).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector.opentelemetry.svc.cluster.local:4318",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      OTEL_SERVICE_NAME: "orders",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=dev",
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_METRICS_EXPORTER: "none",
      OTEL_LOGS_EXPORTER: "none",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.1",
    });
  });

  it.each([
    [100, "1"],
    [0, "0"],
    [7, "0.07"],
    [0.5, "0.005"],
    [33.3, "0.333"],
  ])("writes %p percent as the ratio %p", (percent, ratio) => {
    expect(serviceTracingEnvironment({ name: "a", environment: "e", samplingPercent: percent }).OTEL_TRACES_SAMPLER_ARG).toBe(ratio);
  });
});
