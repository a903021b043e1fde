import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { addonRelease, type WorkloadAddonProps, type ChartSource, placementOf, roleAnnotations } from "./addon";

/**
 * The pinned chart (no CRDs). Its `mode` and `image.repository` default to empty and it refuses
 * to render until both are set (templates/NOTES.txt of 0.170.0), so both are always given here.
 * @see https://github.com/open-telemetry/opentelemetry-helm-charts/tree/opentelemetry-collector-0.170.0/charts/opentelemetry-collector
 */
export const OTEL_COLLECTOR_CHART: ChartSource = { chart: "opentelemetry-collector", repository: "https://open-telemetry.github.io/opentelemetry-helm-charts", version: "0.170.0", namespace: "opentelemetry" };

/**
 * The contrib distribution at the chart's appVersion (0.158.0): the `awsxray` exporter ships in
 * contrib only (exporter/awsxrayexporter/README.md, "Distributions: contrib"), not in the core or
 * k8s images. From GHCR, where the releases publish it beside Docker Hub (no anonymous pull
 * limit), multi-arch (amd64 and arm64: the system and shared groups run either); its entrypoint
 * is /otelcol-contrib, as user 10001 (opentelemetry-collector-releases, distributions/otelcol-contrib).
 */
export const OTEL_COLLECTOR_IMAGE = { repository: "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib", tag: "0.158.0" } as const;

/** The collector's name: its Service and service account (`fullnameOverride`), which the role `<env>-otel-collector` trusts. */
export const OTEL_COLLECTOR_NAME = "otel-collector";

/** OTLP over HTTP (protobuf): the services send here. gRPC (4317) is open too, for SDKs that default to it. */
export const OTLP_HTTP_PORT = 4318;

/** OTLP over gRPC. */
export const OTLP_GRPC_PORT = 4317;

/** The in-cluster URL the services export to (OTEL_EXPORTER_OTLP_ENDPOINT): the SDKs append /v1/traces. */
export const OTLP_ENDPOINT = `http://${OTEL_COLLECTOR_NAME}.${OTEL_COLLECTOR_CHART.namespace}.svc.cluster.local:${OTLP_HTTP_PORT}`;

/** Props of {@link OtelCollector}. */
export interface OtelCollectorProps extends WorkloadAddonProps {
  /** The region of the environment: the X-Ray endpoint it exports to. */
  readonly region: string;
  /** The only namespaces whose pods may send it spans (the services' of each environment in the cluster): the chart's NetworkPolicy admits them alone, on the two OTLP ports. */
  readonly sourceNamespaces: readonly string[];
  /**
   * Collector pods. Two, spread over nodes, where the add-ons' node group runs two nodes or more.
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * An OpenTelemetry Collector (the upstream chart, contrib image) that receives the services'
 * OTLP traces and exports them to AWS X-Ray as the role `<env>-otel-collector`
 * (xray:PutTraceSegments and xray:PutTelemetryRecords only).
 *
 * - Pipeline: only the traces pipeline, OTLP in (gRPC 4317, HTTP 4318), `memory_limiter` then
 *   `batch` (the collector's recommended order: the limiter refuses data before it is buffered),
 *   `awsxray` out. The chart's default jaeger, zipkin and prometheus receivers, their ports, the
 *   debug exporter and the logs and metrics pipelines are removed (null deletes a default key).
 * - Sampling is not done here: the services' SDKs sample at the root (parentbased_traceidratio,
 *   {@link serviceTracingEnvironment}), so every span that arrives belongs to a kept trace, and a
 *   probabilistic_sampler here would sample a second time.
 * - Trace ids: the SDKs' random W3C trace ids are accepted. The exporter's gate
 *   `exporter.awsxray.skiptimestampvalidation` (beta since v0.84.0, so on by default) drops its
 *   old check that the first 32 bits are a recent epoch, and X-Ray takes W3C-format ids since
 *   2023-10-27 ("AWS X-Ray now supports W3C format trace IDs", AWS What's New; ADOT 0.34.0+).
 * - `local_mode`: it never asks EC2's instance metadata (the nodes allow one hop: pods cannot
 *   reach it); the region is given.
 * - Exposure: a ClusterIP Service; the chart's NetworkPolicy admits only the services' namespace,
 *   on the OTLP ports. No hostPort (the chart sets them in daemonset mode only).
 * - Least privilege: no Kubernetes API access (no preset that needs RBAC), no API token mounted
 *   (IRSA and Pod Identity project their own), a non-root read-only container under the
 *   restricted Pod Security Standard.
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/v0.158.0/exporter/awsxrayexporter
 */
export class OtelCollector extends Construct {
  readonly release: ChartRelease;
  /** The service account the role `<env>-otel-collector` is for. */
  readonly serviceAccount = { name: OTEL_COLLECTOR_NAME, namespace: OTEL_COLLECTOR_CHART.namespace } as const;

  constructor(scope: Construct, id: string, props: OtelCollectorProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    const placement = placementOf(props);
    const off = { enabled: false };
    this.release = addonRelease(this, "release", OTEL_COLLECTOR_CHART, {
      mode: "deployment",
      fullnameOverride: OTEL_COLLECTOR_NAME,
      image: { ...OTEL_COLLECTOR_IMAGE },
      command: { name: "otelcol-contrib" },
      replicaCount: replicas,
      config: {
        receivers: { jaeger: null, zipkin: null, prometheus: null },
        exporters: { debug: null, awsxray: { region: props.region, local_mode: true } },
        service: {
          pipelines: {
            traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["awsxray"] },
            logs: null,
            metrics: null,
          },
        },
      },
      ports: { "jaeger-compact": off, "jaeger-thrift": off, "jaeger-grpc": off, zipkin: off },
      // GOMEMLIMIT (the chart's useGOMEMLIMIT) and memory_limiter's percentages follow the limit.
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
      serviceAccount: { create: true, name: OTEL_COLLECTOR_NAME, annotations: roleAnnotations(props.identityMode, props.roleArn), automountServiceAccountToken: false },
      podSecurityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      networkPolicy: { enabled: true, allowIngressFrom: props.sourceNamespaces.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } })) },
      // One pod per node where there are nodes enough; never blocking a schedule.
      topologySpreadConstraints:
        replicas > 1 ? [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "app.kubernetes.io/name": OTEL_COLLECTOR_CHART.chart, "app.kubernetes.io/instance": OTEL_COLLECTOR_CHART.chart } } }] : [],
      ...placement,
    }, props);
  }
}

/** What {@link serviceTracingEnvironment} needs to know of a service. */
export interface TracedService {
  /** The service's name: its OTEL_SERVICE_NAME, as X-Ray's service map shows it. */
  readonly name: string;
  /** The environment's name: `deployment.environment`. */
  readonly environment: string;
  /** Share of traces kept, percent (observability.tracing.samplingPercent). */
  readonly samplingPercent: number;
}

/**
 * The environment variables the OpenTelemetry SDKs read (the specification's
 * sdk-environment-variables), which opentelemetry-instrument (Python) and
 * @opentelemetry/auto-instrumentations-node (Node.js) configure themselves from:
 * - the collector's OTLP/HTTP endpoint and protocol (http/protobuf: Node's default, and what
 *   Python's configurator maps to its otlp_proto_http exporter);
 * - the service name and environment, as resource attributes;
 * - head sampling, decided once at the root and followed by every service downstream
 *   (parentbased_traceidratio), so a trace is kept or dropped whole and nothing is sampled twice;
 * - no OTLP metrics or logs: Prometheus scrapes the metrics and Fluent Bit ships the logs, and the
 *   collector has no pipeline for either (the distros export both by default).
 */
export function serviceTracingEnvironment(service: TracedService): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_SERVICE_NAME: service.name,
    OTEL_RESOURCE_ATTRIBUTES: `deployment.environment=${service.environment}`,
    OTEL_TRACES_EXPORTER: "otlp",
    OTEL_METRICS_EXPORTER: "none",
    OTEL_LOGS_EXPORTER: "none",
    OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
    // A ratio in [0, 1], without binary noise (7 → "0.07", never "0.07000000000000001").
    OTEL_TRACES_SAMPLER_ARG: String(Number((service.samplingPercent / 100).toPrecision(6))),
  };
}
