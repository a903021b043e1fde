import { z } from "zod";
import { DEFAULT_METRIC_PRESET, METRIC_PRESETS } from "../k8s/metric-presets";
import { EXACT_CHART_VERSION } from "../modules/helm/versions";
import { ARCHITECTURES } from "./platform-schema";
import { strict } from "./strict";

/**
 * The `app` section of an environment file: how the application runs. Cross-field checks live
 * in `app-checks.ts`; the `platform` section is in `platform-schema.ts`.
 */


const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS host name such as api.example.com (lowercase, no scheme, no path, no wildcard)");

/** The application's HTTP port unless config says otherwise (FastAPI's and NestJS's usual 8000). */
export const DEFAULT_APP_PORT = 8000;

/** A Prometheus metric name (prometheus.io/docs/concepts/data_model: `[a-zA-Z_:][a-zA-Z0-9_:]*`). */
const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "must be a Prometheus metric name such as http_requests_total: letters, digits, '_' and ':', not starting with a digit");
/** A Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`; names starting with `__` are Prometheus's own). */
const labelName = z.string().regex(/^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus label name such as status: letters, digits and '_', not starting with a digit or '__'");

/** `metrics`: which names the service's alerts and dashboard query (k8s/metric-presets.ts). */
const metricsShape = strict({
  preset: z
    .enum(METRIC_PRESETS)
    .default(DEFAULT_METRIC_PRESET)
    .describe(
      "The instrumentation library the service's /metrics comes from, whose default names its alerts and Grafana dashboard query: prometheus-fastapi-instrumentator (http_requests_total, http_request_duration_highr_seconds, http_requests_inprogress), starlette-exporter (starlette_requests_total, starlette_request_duration_seconds, starlette_requests_in_progress), nestjs-prom (@digikare/nestjs-prom's http_requests histogram and prom-client's nodejs_eventloop_lag_seconds), or custom (the names given in custom). docs/services.md lists them with their labels.",
    ),
  custom: strict({
    requestsTotal: metricName.optional().describe("A counter of the requests served, labelled by status and route, such as orders_http_requests_total."),
    requestDuration: metricName
      .refine((name) => !/_(bucket|sum|count)$/.test(name), "must be the histogram's base name, without _bucket, _sum or _count: the queries add _bucket")
      .optional()
      .describe("A histogram of request durations in seconds, by its base name (the series are <name>_bucket, _sum and _count), such as orders_http_request_duration_seconds."),
    saturationGauge: metricName.optional().describe("A gauge of how busy the service is: requests in progress (or an event loop's lag), such as orders_http_requests_in_progress."),
    statusLabel: labelName.optional().describe("The requests counter's label holding the HTTP status: a code (503) or a class (5xx); the error ratio counts the values matching 5.."),
    routeLabel: labelName.optional().describe("The requests counter's label holding the route (handler or path template), which the dashboard's request rate is split by."),
  })
    .optional()
    .describe("With preset custom (and only then): the service's own metric names and labels, all five required."),
})
  .default({ preset: DEFAULT_METRIC_PRESET })
  .describe("The names of the service's HTTP metrics: its alerts (error rate, latency) and its Grafana dashboard are generated from them. A worker with no port has none.");

/** The settings every service has: the `app` section, and each entry of `services`. */
const serviceShape = {
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes namespace name")
    .optional()
    .describe("Namespace of the application; must not be a platform namespace. Every service of an environment runs in the same one. Default: app; in another environment's cluster (cluster.environment), the environment's name."),
  image: strict({
    repository: z
      .string()
      .regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, "must be an ECR repository name such as orders: lowercase letters and digits, separated by single '.', '_' or '-'")
      .max(200)
      .optional()
      .describe("The ECR repository of the image, in the account's registry (the account stack makes one per repository named by any service). Default: the service's name (`app` for the app section)."),
    tag: z.string().regex(/^[\w][\w.-]{0,127}$/, "must be an image tag such as 1.4.2").describe("Image tag in the service's ECR repository. Never `latest`."),
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be sha256: and 64 hex digits").optional().describe("The image's digest: pins exactly what runs. Required in production."),
  }).describe("The service's image, from the account's ECR repository (image.repository)."),
  port: z.int().min(1024).max(65535).optional().describe("The container's HTTP port: health checks and /metrics are served on it, and the Service, the Ingress and the callers of talksTo use it. Leave out for a worker that serves no HTTP (a Kafka consumer): then it has no Service, no probes and no scrape."),
  architectures: z
    .array(z.enum(ARCHITECTURES))
    .min(1, `must list at least one of ${ARCHITECTURES.join(", ")}`)
    .default([...ARCHITECTURES])
    .describe("CPU architectures the image is built for; pods run only on nodes of these (node affinity on kubernetes.io/arch). Default: both, which needs a multi-arch image. Each must be offered by the apps node group or a Karpenter NodePool."),
  resources: strict({
    cpu: z.string().regex(/^\d+(\.\d+)?m?$/, "must be a CPU quantity such as 250m").default("250m").describe("CPU request."),
    memory: z.string().regex(/^\d+(Ki|Mi|Gi)$/, "must be a memory quantity such as 512Mi").default("256Mi").describe("Memory request, and limit."),
  })
    .default({ cpu: "250m", memory: "256Mi" })
    .describe("Requests per pod (memory is also the limit; CPU is not limited, to avoid throttling)."),
  hpa: strict({
    min: z.int().min(1).default(2).describe("Fewest replicas."),
    max: z.int().min(1).default(6).describe("Most replicas."),
    cpuTargetPercent: z.int().min(10).max(95).default(70).describe("Average CPU use (of requests) the HPA aims for."),
  })
    .default({ min: 2, max: 6, cpuTargetPercent: 70 })
    .describe("Horizontal pod autoscaler: it owns the replica count (`min` is the fewest), so the Deployment sets none and a helm upgrade never resets it."),
  scaling: strict({
    kafkaLag: strict({
      topic: z.string().min(1).describe("The topic whose lag counts: one the service consumes."),
      group: z.string().min(1).describe("The consumer group whose lag counts: under the service's consumer-group prefix."),
      lagThreshold: z.int().min(1).describe("Messages of lag per replica the autoscaler aims for (KEDA's lagThreshold)."),
    })
      .optional()
      .describe("Scale on consumer lag as well as CPU: a KEDA ScaledObject takes the HPA's place, with the same min, max and CPU target (platform.keda must be on)."),
  })
    .default({})
    .describe("What else the replica count follows besides CPU."),
  probes: strict({
    path: z.string().regex(/^\/[\w./-]*$/, "must be an absolute HTTP path such as /health").default("/health").describe("The HTTP path of the readiness, liveness and startup probes, on the service's port."),
  })
    .default({ path: "/health" })
    .describe("Health checks (only with a port; the ALB checks the same path)."),
  exposure: z
    .enum(["public", "internal", "none"])
    .default("public")
    .describe("Who reaches the service from outside the namespace: `public` (a host and path on the environment's internet-facing ALB), `internal` (an internal ALB, reachable from the VPC only), `none` (no load balancer: only the services whose talksTo names it)."),
  talksTo: z
    .array(z.string())
    .default([])
    .describe("The services of this environment this one calls: a NetworkPolicy of each admits exactly its callers, on its port; every other call inside the namespace is refused."),
  ingress: strict({
    host: hostname.describe("The host name the ALB answers for (public or internal, by exposure)."),
    path: z.string().max(200).regex(/^\/[\w./-]*$/, "must be an absolute HTTP path such as / or /orders").default("/").describe("The path prefix routed to the service (Prefix match): services may share a host with different paths."),
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>")
      .optional()
      .describe("An ACM certificate for the host, in the environment's region, made elsewhere. Default: the certificate `<env>-edge` makes and validates in dns.zone (which then must be set)."),
    wafAclArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]{1,128}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be a regional WAFv2 web ACL ARN such as arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/<name>/<uuid>")
      .optional()
      .describe("A regional WAFv2 web ACL made elsewhere, attached to the ALB instead of the one `<env>-edge` makes (the waf section)."),
  })
    .optional()
    .describe("The service's route on its ALB (exposure public or internal): HTTPS only, TLS 1.3 policy. Required with those, refused with exposure none."),
  migrations: strict({
    command: z
      .array(z.string().min(1, "must not be empty"), { error: (issue) => (issue.code === "invalid_type" ? 'must be a list of the command and its arguments, such as ["alembic", "upgrade", "head"]: a string would be run by no shell' : undefined) })
      .min(1, 'must name a command, such as ["alembic", "upgrade", "head"]')
      .describe("The migration command and its arguments, run without a shell, such as [alembic, upgrade, head] or [npx, prisma, migrate, deploy]."),
    deadlineSeconds: z.int().min(60).max(3600).default(600).describe("The Job's activeDeadlineSeconds: a migration still running then is stopped, and the release fails."),
  })
    .optional()
    .describe("Schema migrations: a Helm pre-install/pre-upgrade hook Job with the app's image, service account and IAM database login. If it fails, the release fails and the running version stays (docs/how-to.md, \"Migrate the schema\")."),
  metrics: metricsShape,
  chart: strict({
    repository: z.string().regex(/^oci:\/\/[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/, "must be an OCI repository such as oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts").describe("OCI repository of the chart."),
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a chart name such as app").describe("Chart name."),
    version: z.string().regex(EXACT_CHART_VERSION, "must be an exact chart version such as 1.2.3, never a range or empty").describe("Exact chart version."),
  })
    .optional()
    .describe("Deploy this OCI chart instead of the chart the project ships (its values are the same contract)."),
};

/** A service of the `services` map: no port unless it says one. */
export const serviceSchema = strict(serviceShape).describe("One service of the environment (`<env>-app` deploys each as a Helm release of its own).");

/**
 * The `app` section: shorthand for an environment with one service, `app`. Its port defaults to
 * {@link DEFAULT_APP_PORT}, as it always has.
 */
export const appSchema = strict({ ...serviceShape, port: z.int().min(1024).max(65535).default(DEFAULT_APP_PORT).describe("The container's HTTP port (health checks and /metrics are served on it).") }).describe(
  "The application (`<env>-app`): shorthand for `services: { app: ... }`. Leave out for an environment without it.",
);

export type AppConfig = z.output<typeof appSchema>;
/** One service's settings, whichever section it came from. */
export type ServiceSettings = z.output<typeof serviceSchema>;
