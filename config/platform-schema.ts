import { z } from "zod";
import { REQUIREMENT_OPERATORS } from "../k8s/crds/karpenter-labels";
import { LOG_RETENTION_DAYS } from "../modules/logs/retention";
import { strict } from "./strict";

/**
 * The `platform` section of an environment file: what the platform's add-ons keep, and the
 * nodes Karpenter may launch. Cross-field checks live in `platform-checks.ts`.
 */

/** The CPU architectures nodes come in (the `kubernetes.io/arch` label). */
export const ARCHITECTURES = ["amd64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/**
 * The EKS-optimized Amazon Linux 2023 release Karpenter's nodes run unless config pins another:
 * a version, never `@latest`, so an AMI release never replaces every node on its own
 * (https://github.com/awslabs/amazon-eks-ami/releases/tag/v20261012, which also fixes the kernel
 * panic of v20260930 and v20261003).
 */
export const DEFAULT_AMI_ALIAS = "al2023@v20261012";

/** Karpenter's duration: Go durations of s, m and h, or `Never` (the NodePool CRD's pattern). */
const duration = z.string().regex(/^(([0-9]+(s|m|h))+|Never)$/, "must be a duration such as 30s, 5m or 720h, or Never");

const budgetSchema = strict({
  nodes: z
    .string()
    .regex(/^((100|[0-9]{1,2})%|[0-9]+)$/, 'must be a node count or a percentage, quoted, such as "1" or "10%"')
    .describe('How many of the pool\'s nodes may be disrupted at once: a count or a percentage ("0" blocks disruption during the schedule).'),
  reasons: z.array(z.enum(["Underutilized", "Empty", "Drifted"])).optional().describe("Disruption reasons the budget applies to. Default: all."),
  schedule: z.string().min(1).optional().describe('When the budget is active: a cron expression in UTC, such as "0 9 * * mon-fri" (with duration).'),
  duration: z
    .string()
    .regex(/^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$/, "must be a duration of hours and minutes, such as 8h or 1h30m")
    .optional()
    .describe("How long the budget is active from each schedule start (with schedule)."),
});

const nodePoolSchema = strict({
  architectures: z.array(z.enum(ARCHITECTURES)).min(1, `must list at least one of ${ARCHITECTURES.join(", ")}`).describe("CPU architectures the pool launches (kubernetes.io/arch)."),
  capacityTypes: z
    .array(z.enum(["spot", "on-demand"]))
    .min(1, "must list at least one capacity type: spot, on-demand")
    .default(["on-demand"])
    .describe("spot, on-demand or both (Karpenter prefers Spot where it is cheaper, and falls back)."),
  families: z
    .array(z.string().regex(/^[a-z]+[0-9]+[a-z0-9-]*$/, "must be an EC2 instance family such as c7g or m6i"))
    .optional()
    .describe("Instance families (karpenter.k8s.aws/instance-family), such as c6i, m7g. Default: any family of categories."),
  categories: z
    .array(z.string().regex(/^[a-z]+$/, "must be an instance category such as c, m or r"))
    .optional()
    .describe("Instance categories (karpenter.k8s.aws/instance-category). Default without families: c, m, r."),
  minGeneration: z.int().min(1).max(20).optional().describe("Oldest instance generation (karpenter.k8s.aws/instance-generation). Default without families: 6."),
  sizes: z
    .array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)?$/, "must be an instance size such as medium, large, 2xlarge or metal-24xl"))
    .optional()
    .describe("Instance sizes (karpenter.k8s.aws/instance-size), such as medium, large. Default: any."),
  requirements: z
    .array(
      strict({
        key: z.string().min(1).describe("A well-known label Karpenter launches for (k8s/crds/karpenter-labels.ts lists them)."),
        operator: z.enum(REQUIREMENT_OPERATORS).describe("In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte or Lte."),
        values: z.array(z.string()).default([]).describe("Values; one integer for Gt, Lt, Gte and Lte, none for Exists and DoesNotExist."),
      }),
    )
    .default([])
    .describe("Further requirements, beyond the fields above, such as karpenter.k8s.aws/instance-cpu Lt 33."),
  limits: strict({
    cpu: z.int().min(1).default(200).describe("Most vCPUs the pool's nodes may have in all: a ceiling on what a runaway deployment can cost."),
    memoryGiB: z.int().min(1).optional().describe("Most memory the pool's nodes may have in all, GiB. Default: no memory limit."),
  })
    .default({ cpu: 200 })
    .describe("Limits of the whole pool."),
  expireAfter: duration.default("720h").describe("Nodes older than this are replaced (fresh AMIs and kernels); Never keeps them."),
  disruption: strict({
    consolidationPolicy: z.enum(["WhenEmpty", "WhenEmptyOrUnderutilized"]).default("WhenEmptyOrUnderutilized").describe("Consolidate only empty nodes, or under-used ones too."),
    consolidateAfter: duration.default("5m").describe("How long a node must be empty or under-used before Karpenter consolidates it."),
    budgets: z.array(budgetSchema).min(1).default([{ nodes: "10%" }]).describe('Disruption budgets; the strictest active one applies. Default: 10% of the nodes at a time.'),
  })
    .default({ consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "5m", budgets: [{ nodes: "10%" }] })
    .describe("How Karpenter may replace or remove the pool's nodes."),
  weight: z.int().min(1).max(100).optional().describe("Priority among pools that fit a pod: higher first. Default: none (0)."),
});

/** One NodePool of config, with defaults applied. */
export type NodePoolConfig = z.output<typeof nodePoolSchema>;

/** The pools when config names none: one per architecture for applications, as the project has always had. */
export const DEFAULT_NODE_POOLS: Readonly<Record<string, z.input<typeof nodePoolSchema>>> = {
  "apps-amd64": { architectures: ["amd64"] },
  "apps-arm64": { architectures: ["arm64"] },
};

export const karpenterSchema = strict({
  amiAlias: z
    .string()
    .regex(/^al2023@(latest|v\d{8})$/, "must be an Amazon Linux 2023 alias pinned to a release, al2023@v<YYYYMMDD> (or al2023@latest outside production)")
    .default(DEFAULT_AMI_ALIAS)
    .describe(
      "The EC2NodeClass's AMI: al2023@v<YYYYMMDD>, an amazon-eks-ami release. Promote a new release dev → stage → prod (docs/how-to.md, \"Promote a node AMI\"); @latest, which replaces every node at each AMI release, is refused in production.",
    ),
  nodePools: z
    .record(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes name such as apps-arm64"), nodePoolSchema)
    // prefault: the default pools are parsed like written ones, so they get every field's default.
    .prefault(DEFAULT_NODE_POOLS)
    .describe("Karpenter NodePools by name, for application pods (their nodes carry the apps group's label). Default: apps-amd64 and apps-arm64, on-demand, categories c, m, r from generation 6."),
})
  .describe("Karpenter's nodes (with eks.karpenter): the EC2NodeClass's AMI and the NodePools. Leave out for the defaults.");

export const platformSchema = strict({
  prometheus: strict({
    retentionDays: z.int().min(1).max(365).default(15).describe("Days Prometheus keeps metrics."),
    storageGiB: z.int().min(10).max(16384).default(50).describe("Size of Prometheus's encrypted gp3 volume, GiB."),
    replicas: z
      .int()
      .min(1)
      .max(3)
      .default(1)
      .describe("Prometheus replicas, each with its own volume. With 2 or more, a PodDisruptionBudget keeps one up through node drains; with 1 there is none, since it would block every drain."),
    memoryGiB: z.int().min(1).max(64).default(2).describe("Memory each Prometheus replica requests, GiB (its limit is twice that). It runs on the system nodes: size them for it."),
  })
    .default({ retentionDays: 15, storageGiB: 50, replicas: 1, memoryGiB: 2 })
    .describe("kube-prometheus-stack's Prometheus."),
  alertmanager: strict({
    replicas: z
      .int()
      .min(1)
      .max(3)
      .default(1)
      .describe("Alertmanager replicas: with 2 or more they form a cluster that deduplicates notifications, and a PodDisruptionBudget keeps one up through node drains; with 1, a drain leaves no Alertmanager for the minute its pod moves (production is warned)."),
  })
    .default({ replicas: 1 })
    .describe("kube-prometheus-stack's Alertmanager."),
  containerLogRetentionDays: z.literal(LOG_RETENTION_DAYS).default(30).describe("Retention of the containers' logs in CloudWatch, in days."),
  grafana: strict({
    adminPasswordVersion: z
      .int()
      .min(1)
      .default(1)
      .describe("Bump it to rotate Grafana's admin password: the apply writes a new random one to Secrets Manager, External Secrets syncs it at once and Grafana restarts with it (docs/how-to.md, \"Rotate Grafana's admin password\")."),
  })
    .default({ adminPasswordVersion: 1 })
    .describe("Grafana (kube-prometheus-stack)."),
  karpenter: karpenterSchema.optional(),
  keda: strict({
    enabled: z
      .boolean()
      .default(false)
      .describe("Install KEDA (chart keda 2.20.2, namespace keda) and its role `<env>-keda`, which may read the lag of exactly the topics and groups services scale on (services.<name>.scaling.kafkaLag)."),
  })
    .optional()
    .describe("KEDA, the autoscaler services need to scale on Kafka consumer lag (docs/how-to.md, \"Scale a Kafka consumer on lag\"). Off unless enabled: CPU alone needs only the HPA."),
}).describe("The platform's add-ons (`<env>-platform`): ingress, External Secrets, monitoring, logs, metrics-server, Karpenter, KEDA. Leave out for a cluster without them (and without an app).");

export type PlatformConfig = z.output<typeof platformSchema>;
/** Karpenter's settings, defaults applied. */
export type KarpenterConfig = z.output<typeof karpenterSchema>;

/** Whether the environment runs KEDA (`platform.keda.enabled`): its add-on, its role and its lag grants. */
export function kedaEnabled(env: { readonly platform?: Pick<PlatformConfig, "keda"> }): boolean {
  return env.platform?.keda?.enabled === true;
}

/** Karpenter's settings of an environment: its own, or the defaults. */
export function karpenterSettings(platform: Pick<PlatformConfig, "karpenter"> | undefined): KarpenterConfig {
  return platform?.karpenter ?? karpenterSchema.parse({});
}
