import { type ServiceMetrics } from "./metric-presets";

/**
 * The values of the application's chart: the contract between the `<env>-app` stack and the
 * chart, whether it is the chart this project ships (`k8s/app-chart.ts`) or an OCI chart named
 * in config, which receives these as its Helm values. Every value is assembled from typed stack
 * outputs and config (stacks/app-stack.ts), never retyped.
 */
export interface AppValues {
  /** Name of the Deployment, Service, Ingress and the rest. */
  readonly name: string;
  /** The namespace (Pod Security `restricted`, default-deny ingress, quota). */
  readonly namespace: string;
  /** The image: the ECR repository's URL and an immutable tag, pinned by digest where given. */
  readonly image: { readonly repository: string; readonly tag: string; readonly digest?: string };
  /**
   * The container port serving HTTP, the health checks and `/metrics`.
   * @default - none: a worker that serves no HTTP (no Service, probes, scrape or Ingress)
   */
  readonly port?: number;
  /**
   * The HTTP path of the readiness, liveness and startup probes (and of the ALB's health check).
   * @default "/health"
   */
  readonly probePath?: string;
  /**
   * CPU architectures the image is built for: pods run only on nodes of these. There is no
   * replica count: the HPA owns it (a chart that set `spec.replicas` would reset it on every
   * helm upgrade, helm/helm#7090), starting from `hpa.min`.
   */
  readonly architectures: ReadonlyArray<"amd64" | "arm64">;
  /** Requests per pod; memory is the limit too. */
  readonly resources: { readonly cpu: string; readonly memory: string };
  /** The horizontal pod autoscaler. */
  readonly hpa: { readonly min: number; readonly max: number; readonly cpuTargetPercent: number };
  /**
   * Scale on a consumer group's lag as well as CPU: a KEDA ScaledObject instead of the chart's HPA
   * (KEDA makes and owns the HPA, `keda-hpa-<name>`).
   * @default - none: the chart's own HPA, on CPU
   */
  readonly kafkaLag?: { readonly topic: string; readonly group: string; readonly lagThreshold: number; readonly bootstrapServers: string; readonly region: string };
  /**
   * Whether the cluster runs KEDA: the chart's HPA then carries `validations.keda.sh/hpa-ownership:
   * "false"`, so that switching the service to lag scaling is one apply (below).
   * @default false
   */
  readonly kedaOnCluster?: boolean;
  /** The service account, annotated with the app role (IRSA; none with Pod Identity). */
  readonly serviceAccount: { readonly name: string; readonly annotations: Readonly<Record<string, string>> };
  /**
   * The service's route on an ALB.
   * @default - none: exposure none, reachable only from the services that call it
   */
  readonly ingress?: {
    /** IngressClass of the AWS Load Balancer Controller (`<env>-platform`'s contract). */
    readonly className: string;
    /**
     * Which ALB: the internet-facing one, or the internal one (VPC only).
     * @default "internet-facing"
     */
    readonly scheme?: "internet-facing" | "internal";
    /**
     * The IngressGroup, whose Ingresses share one ALB.
     * @default - none: the Ingress's own ALB (an implicit group)
     */
    readonly group?: string;
    /**
     * The Ingress's `group.order` in its group: the longer its path, the earlier (an own chart
     * must render it, or its order 0 would take a shared host's other paths).
     * @default - none without a group
     */
    readonly order?: number;
    /**
     * The subnets the ALB is placed in, by Name tag or id.
     * @default - the controller's discovery: the subnets tagged for the scheme
     */
    readonly subnets?: readonly string[];
    readonly host: string;
    /**
     * Path prefix routed to the service.
     * @default "/"
     */
    readonly path?: string;
    /** ACM certificate. */
    readonly certificateArn: string;
    /** ELB security policy: TLS 1.3 (and 1.2 for older clients). */
    readonly sslPolicy: string;
    /** Regional WAFv2 web ACL, if any. */
    readonly wafAclArn?: string;
  };
  /**
   * Schema migrations, run before each install and upgrade as a Helm hook Job with the app's
   * image and IAM role (through a hook service account of its own, `<name>-migrations`).
   * @default - none
   */
  readonly migrations?: { readonly command: readonly string[]; readonly deadlineSeconds: number };
  /**
   * The services of the namespace that call this one (their talksTo names it): a NetworkPolicy
   * admits exactly their pods, on the port.
   * @default - none
   */
  readonly callers?: readonly string[];
  /**
   * Whether the chart makes that NetworkPolicy. A tenant's is made by its host's platform instead
   * (k8s/member-namespace.ts): its deployers may write no NetworkPolicy.
   * @default true
   */
  readonly callerPolicies?: boolean;
  /** Settings, as environment variables: database, Kafka (when on), region. Never secrets. */
  readonly env: Readonly<Record<string, string>>;
  /** Where the app's secrets come from: its namespace's SecretStore (its environment's own: k8s/member-namespace.ts) and the Secrets Manager prefix synced into one Secret. */
  readonly secrets: { readonly store: string; readonly prefix: string };
  /**
   * The PriorityClass of its pods, its environment's (`environment-<env>`). In a cluster shared
   * with other environments a quota admits no pod without it: a chart of the team's own must set
   * it on every pod template (`priorityClassName: {{ .Values.priorityClassName }}`).
   */
  readonly priorityClassName: string;
  /** The uid of its Grafana dashboard (made by the cluster host's platform), which its alerts link to. */
  readonly dashboardUid: string;
  /**
   * The names of the service's HTTP metrics (its preset's, k8s/metric-presets.ts): what its
   * alerts and its dashboard query. A worker with no port exports none, and only the saturation
   * alert, on its HPA, uses no name of these.
   */
  readonly metrics: ServiceMetrics;
  /** Where each alert's runbook is, a URL prefix (`…/docs/runbooks/`). */
  readonly runbookBaseUrl: string;
}

/** The ELB policy the ALB's HTTPS listener uses: TLS 1.3, with TLS 1.2 for older clients. */
export const TLS13_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The image reference a pod runs: by digest when there is one. */
export function imageRef(image: AppValues["image"]): string {
  return image.digest ? `${image.repository}:${image.tag}@${image.digest}` : `${image.repository}:${image.tag}`;
}
