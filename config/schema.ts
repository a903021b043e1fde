import { z } from "zod";
import { AMI_TYPES, type AmiType, DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, type KubernetesVersion } from "../modules/eks/versions";
import { LOG_RETENTION_DAYS } from "../modules/logs/retention";
import { cidrProblem, prefixOf, SUBNET_PREFIX, VPC_PREFIX } from "./cidr";
import { REGIONS } from "./regions";
import { ACCESS_DEFAULTS, accessSchema, apiAccessSchema, ciSchema } from "./access-schema";
import { appSchema, serviceSchema } from "./app-schema";
import { dnsSchema, wafSchema } from "./edge-schema";
import { APP_SERVICE, SERVICE_NAME, type ServiceConfig } from "./services";
import { APP_NAMESPACE } from "./naming";
import { platformSchema } from "./platform-schema";
import { observabilitySchema } from "./observability-schema";
import { databaseSchema, streamingSchema } from "./data-schema";
import { MAX_ZONES } from "./subnet-plan";
import { nonEmpty, strict } from "./strict";

export { ALLOWED_KEYS_PREFIX } from "./strict";

/**
 * The schema of one environment file (`config/<env>.yaml`). It is the single source of the
 * TypeScript types and of the committed JSON Schema (`config/environment.schema.json`) that
 * editors use to complete and check the YAML; each field's `.describe()` text is the hover help
 * there. Checks that need more than one field, or more than one file, live in `checks.ts`.
 */

export { LOG_RETENTION_DAYS };

const vpcCidr = z.string().superRefine((value, ctx) => {
  const problem = cidrProblem(value);
  if (problem) return void ctx.addIssue({ code: "custom", message: problem, input: value });
  const prefix = prefixOf(value);
  if (prefix < VPC_PREFIX.min || prefix > VPC_PREFIX.max) {
    ctx.addIssue({ code: "custom", input: value, message: `prefix /${prefix} is outside the allowed /${VPC_PREFIX.min}–/${VPC_PREFIX.max}` });
  }
});

const subnetPrefix = z
  .int()
  .min(SUBNET_PREFIX.min, `must be between ${SUBNET_PREFIX.min} and ${SUBNET_PREFIX.max} (AWS subnet sizes)`)
  .max(SUBNET_PREFIX.max, `must be between ${SUBNET_PREFIX.min} and ${SUBNET_PREFIX.max} (AWS subnet sizes)`);

/**
 * The control-plane tier's prefix: EKS needs at least 6 free addresses in each subnet it puts its
 * network interfaces in (docs.aws.amazon.com/eks/latest/userguide/network-reqs.html, "Subnet
 * requirements for clusters"); AWS keeps 5 of every subnet, so even the smallest, a /28, leaves 11.
 */
const controlPlanePrefix = z
  .int()
  .min(SUBNET_PREFIX.min, `must be between ${SUBNET_PREFIX.min} and ${SUBNET_PREFIX.max} (AWS subnet sizes; a /${SUBNET_PREFIX.max} leaves 11 free addresses, above the 6 EKS needs in each cluster subnet)`)
  .max(SUBNET_PREFIX.max, `must be between ${SUBNET_PREFIX.min} and ${SUBNET_PREFIX.max} (AWS subnet sizes; a /${SUBNET_PREFIX.max} leaves 11 free addresses, above the 6 EKS needs in each cluster subnet)`);

const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy");

export const accountSchema = strict({
  id: z.string().regex(/^\d{12}$/, "must be exactly 12 digits, quoted (e.g. \"123456789012\")").describe("The AWS account id, quoted so that leading zeros survive. The AWS provider refuses every other account."),
  region: z.enum(REGIONS).describe("The region every stack of this environment deploys to."),
  deployRoleArn: roleArn
    .optional()
    .describe(
      "The role a person assumes to deploy this environment from their machine (TF_VAR_deploy_role_arn); named in each stack's deploy_role_arn variable. CI never assumes it: each CI job runs as the role its OIDC token gives it.",
    ),
  stateReaderArns: z
    .array(roleArn)
    .default([])
    .describe("Roles besides CI's own that read this environment's Terraform state, but can neither change it nor take its lock (an auditor; run Terraform with -lock=false): `<env>/` keys only. CI's plan and drift roles are granted by the code: never list them, nor a role twice. They must exist before the state-backend stack is applied."),
  stateWriterArns: z
    .array(roleArn)
    .default([])
    .describe("Roles besides CI's own that read and write this environment's Terraform state (operators): `<env>/` keys only. CI's apply role is granted by the code: never list it, nor a role that is in stateReaderArns. They must exist before the state-backend stack is applied."),
}).describe("The AWS account and region of the environment.");

export const networkSchema = strict({
  vpcCidr: vpcCidr.describe("The VPC's IPv4 block, /16 to /24, in private (RFC 1918) space. Must not overlap another environment's, so that environments can be connected later (peering, a transit gateway, a VPN) without renumbering; the project makes no peering itself."),
  publicCidrReason: nonEmpty
    .optional()
    .describe("Only for a VPC block outside RFC 1918 private space: why it must be public space. Without it such a block is refused."),
  azCount: z
    .int()
    .min(2, "must be at least 2: EKS and Multi-AZ RDS need subnets in two zones")
    .max(MAX_ZONES)
    .describe(`Availability zones to spread subnets over: at least 2, at most what the region has (and at most ${MAX_ZONES}).`),
  natMode: z.enum(["single", "per-az"]).describe("`per-az`: a NAT gateway per zone, so a zone outage cannot cut egress for the others (required in production). `single`: one, cheaper."),
  subnetPrefixLength: strict({
    public: subnetPrefix.describe("Prefix length of the public subnets (load balancers, NAT)."),
    private: subnetPrefix.describe("Prefix length of the private subnets (nodes, pods)."),
    data: subnetPrefix.describe("Prefix length of the data subnets (RDS, MSK)."),
    controlPlane: controlPlanePrefix
      .optional()
      .describe(
        "Prefix length of the control-plane subnets: an optional fourth tier, one subnet per zone, holding only the EKS cluster's own network interfaces (EKS recommends small dedicated /28 subnets for them). Set, the cluster uses these instead of the private subnets (node groups stay in the private ones); unset, there is no such tier. Its six slots come after every other tier's, so adding it moves no subnet. On an existing cluster, adding or removing it changes the cluster's subnets in place (UpdateClusterConfig; the AWS provider replaced the cluster before 5.25.0, and plan-guard refuses any replacement of it).",
      ),
  })
    .default({ public: 24, private: 20, data: 24 })
    .describe(`Prefix length of each tier's subnets. Every tier reserves ${MAX_ZONES} zone slots, which must all fit in the VPC.`),
  flowLogRetentionDays: z.literal(LOG_RETENTION_DAYS).default(365).describe("How long VPC flow logs are kept, in days (one of CloudWatch's allowed periods)."),
}).describe("The environment's VPC.");

const principalArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin");

const nodeGroupSchema = strict({
  instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m7g.large")).describe("EC2 instance types, in order of preference. Graviton types (m7g, c7g, …) need the ARM AMI type."),
  amiType: z.enum(Object.keys(AMI_TYPES) as [AmiType, ...AmiType[]]).default("AL2023_ARM_64_STANDARD").describe("Amazon Linux 2023 on Graviton (AL2023_ARM_64_STANDARD) or x86 (AL2023_x86_64_STANDARD)."),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND").describe("ON_DEMAND, or SPOT for interruptible, cheaper capacity (never for the system or shared group)."),
  size: strict({
    min: z.int().min(0).describe("Fewest nodes."),
    desired: z.int().min(0).describe("Nodes at creation. With the Cluster Autoscaler (eks.clusterAutoscaler) it decides later, between min and max, and Terraform ignores changes to this value so it never fights the autoscaler; without it (Karpenter adds nodes of its own instead) Terraform keeps the group at this size."),
    max: z.int().min(1).describe("Most nodes."),
  }).describe("Node counts: min ≤ desired ≤ max."),
  maxUnavailablePercentage: z.int().min(1).max(100).default(33).describe("Share of nodes replaced at once during an update."),
  diskSizeGiB: z.int().min(20).max(16384).default(50).describe("Size of each node's encrypted gp3 root volume."),
  labels: z.record(z.string(), z.string()).default({}).describe("Kubernetes labels on the group's nodes."),
  taints: z
    .array(strict({ key: z.string().min(1).describe("Taint key."), value: z.string().default("").describe("Taint value."), effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]).describe("Taint effect.") }))
    .default([])
    .describe("Taints on the group's nodes (the system group also gets CriticalAddonsOnly; the shared group gets none, since application pods must land on it)."),
});

export const eksSchema = strict({
  version: z.enum(Object.keys(KUBERNETES_VERSIONS) as [KubernetesVersion, ...KubernetesVersion[]]).default(DEFAULT_KUBERNETES_VERSION).describe("Kubernetes version of the cluster (modules/eks/versions.ts lists them)."),
  supportType: z.enum(["STANDARD", "EXTENDED"]).default("STANDARD").describe("STANDARD, or EXTENDED support after standard support ends (extra cost per cluster-hour)."),
  deletionProtection: z.boolean().default(false).describe("Refuse deleting the cluster through the API; required in production."),
  publicAccessCidrs: z
    .array(z.string().superRefine((value, ctx) => {
      const problem = cidrProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
    }))
    .default([])
    .describe("Turns the public API endpoint on for these CIDRs only (never 0.0.0.0/0). Empty: private endpoint only."),
  apiAccess: z
    .array(apiAccessSchema)
    .default([])
    .describe("Further sources admitted on 443 to the private API endpoint: a VPN's private range, or a security group of the VPC. CI's runner and the access host are admitted without being listed. Public ranges are refused: they can never reach a private endpoint."),
  admins: z.array(principalArn).default([]).describe("IAM principals with cluster-admin access (access entries)."),
  viewers: z.array(principalArn).default([]).describe("IAM principals with read-only access to the cluster (no Secrets)."),
  workloadIdentity: z.enum(["irsa", "pod-identity"]).default("irsa").describe("How workload roles are assumed: IRSA (OIDC web identity) or EKS Pod Identity."),
  logRetentionDays: z.literal(LOG_RETENTION_DAYS).default(90).describe("Retention of the control-plane logs, in days."),
  karpenter: z.boolean().default(false).describe("Create Karpenter's controller role, node role and interruption queue."),
  nodesReachDataStores: z
    .boolean()
    .default(false)
    .describe(
      "Upgrade only: the databases and brokers of the cluster also admit the nodes' security group, as they did before each service's pods had a group of their own (docs/security-groups-for-pods.md, \"Upgrading a running environment\"). Set it for the first apply of that change on a running environment, so that pods started before their SecurityGroupPolicy keep reaching their data stores; remove it once every service has restarted. A warning says it is on.",
    ),
  clusterAutoscaler: z
    .boolean()
    .optional()
    .describe("Run the Cluster Autoscaler (in kube-system, on the nodes of the other add-ons), which scales each managed node group between its size.min and size.max. Default: on when eks.karpenter is off and there is a platform section (it is a release of <env>-platform), off otherwise; refused together with Karpenter (both would add nodes for the same pending pods) and without a platform section."),
  nodeGroups: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be a short lowercase name such as apps"), nodeGroupSchema).describe("Managed node groups by name: a system group (on-demand, tainted CriticalAddonsOnly: CoreDNS and the controllers) and an apps group (the services), or, outside production, one group named shared that runs both (a small cluster: no taint, labelled for both; a warning says what it gives up). Other groups may be added."),
}).describe("The environment's EKS cluster.");

const severity = z.enum(["error", "warning"]);

export const policySchema = strict({
  severity: z
    .record(
      z.string().regex(/^PI-[A-Z0-9]+-\d{3}$/, "must be a rule id such as PI-RDS-003"),
      z.union([severity, strict({ severity, reason: nonEmpty.describe("Why this environment may treat the rule more leniently, for the reviewers of the change.") })], {
        error: 'allowed: "error", "warning", or { severity: warning, reason: "..." }; rules are never switched off',
      }),
    )
    .default({})
    .describe(
      "Severity per rule id for this environment, e.g. `PI-RDS-003: error` in production. Lowering an error rule to a warning needs a reason: `PI-X-001: { severity: warning, reason: \"...\" }`. Rules are never switched off (docs/policy-rules.md).",
    ),
}).describe("Policy-pack settings of this environment.");

/** Where an environment runs when it has no cluster of its own (docs/topologies.md). */
export const clusterSchema = strict({
  environment: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,9}$/, "must be an environment's name: 2–10 lowercase letters or digits, starting with a letter")
    .describe(
      "The environment whose EKS cluster (and VPC, zone and platform add-ons) this one runs in, as a tenant isolated by its namespace: its own state, roles, secrets, database and Kafka; no network, eks, platform or dns section of its own. The host must be in the same account and region, host no tenant of another, and be production when this one is.",
    ),
  editors: z
    .array(principalArn)
    .default([])
    .describe("IAM principals (the tenant's people) that may write, in its namespace only, what its services' releases make (the deployers' Role: no NetworkPolicies, SecretStores, quotas or roles), and read it (AmazonEKSViewPolicy scoped to it). The host's eks.admins keep cluster scope."),
  viewers: z.array(principalArn).default([]).describe("IAM principals that may read its namespace only (AmazonEKSViewPolicy scoped to it: no Secrets)."),
}).describe("Run in another environment's cluster instead of one of its own (a namespace per environment on one shared cluster). Leave out to host a cluster.");

/** The sections a tenant takes from its host (config/tenancy.ts), and may not have of its own. */
export const HOST_SECTIONS = ["network", "eks", "platform", "dns"] as const;

export const environmentSchema = strict({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,9}$/, "must be 2–10 lowercase letters or digits, starting with a letter")
    .describe("Short environment name: the file's name, and part of every stack id and resource name. Never rename it."),
  production: z.boolean().describe("Marks an environment as production: stricter checks (NAT per zone) and policy severities apply."),
  account: accountSchema,
  tags: z
    .object({ owner: nonEmpty.describe("Who runs the environment (team)."), "cost-center": nonEmpty.describe("Where its costs are booked.") })
    .catchall(nonEmpty)
    .describe("Tags on every resource. `owner` and `cost-center` are required; add any others."),
  cluster: clusterSchema.optional(),
  // Required of an environment that hosts its cluster; a tenant takes its host's (config/tenancy.ts).
  network: networkSchema.optional(),
  eks: eksSchema.optional(),
  database: databaseSchema.optional(),
  streaming: streamingSchema.optional(),
  platform: platformSchema.optional(),
  app: appSchema.optional(),
  services: z
    .record(z.string().regex(SERVICE_NAME, "must be a service name: 1–32 lowercase letters, digits and '-', starting with a letter and not ending with '-' (it names a service account, a role, a repository and a secrets prefix)"), serviceSchema)
    .optional()
    .describe("The environment's services by name, each with its own image repository, role, database user, topics, secrets and exposure (docs/services.md). Use either this or app, the shorthand for one service named app."),
  dns: dnsSchema.optional(),
  observability: observabilitySchema,
  waf: wafSchema.default({ enabled: true, rateLimit: 2000, rateWindowSeconds: 300, countInsteadOfBlock: {}, logRetentionDays: 90 }),
  ci: ciSchema.default(ACCESS_DEFAULTS.ci),
  access: accessSchema.default(ACCESS_DEFAULTS.access),
  protect: z
    .array(z.string().regex(/^[a-z][a-z0-9]*-[a-z]+(\/[\w.-]+)*$/, "must be a construct path such as prod-network/network/nat"))
    .default([])
    .describe("Construct-path prefixes plan-guard protects on top of stateful types (e.g. NAT gateways whose Elastic IPs partners allow-list): a plan that destroys or replaces them fails until allowed. Each must match a construct."),
  policy: policySchema.default({ severity: {} }),
})
  .superRefine((env, ctx) => {
    if (env.app && env.services) ctx.addIssue({ code: "custom", path: ["services"], input: Object.keys(env.services), message: "is given together with app: app is the shorthand for services: { app: ... }; move the app section into services as its entry app, or use app alone" });
    for (const section of HOST_SECTIONS) {
      if (env.cluster && env[section] !== undefined) {
        ctx.addIssue({ code: "custom", path: [section], input: Object.keys(env[section] as object), message: `is the cluster host's: this environment runs in ${env.cluster.environment}'s cluster (cluster.environment), whose ${section} it uses; remove the section, or remove cluster to host a cluster of its own` });
      }
    }
    for (const section of ["network", "eks"] as const) {
      if (!env.cluster && env[section] === undefined) {
        ctx.addIssue({ code: "custom", path: [section], input: undefined, message: `is required: an environment hosts its own cluster unless cluster.environment names the environment whose cluster it runs in` });
      }
    }
  })
  // The services, by name: what topics, database users, hosts, roles and releases are keyed by.
  // An `app` section is the one service `app` (config/services.ts); `servicesSection` remembers
  // which section they came from, so errors name the field the file has.
  // A service's namespace defaults to `app`, a tenant's to its own name: tenants share a cluster,
  // so theirs must differ (config/tenancy-checks.ts).
  //
  // A tenant's network and eks are its host's, filled in when the files are loaded together
  // (config/tenancy.ts resolves them before any check reads them), hence the casts.
  .transform(({ services, network, eks, ...env }) => ({
    ...env,
    network: network as NetworkConfig,
    eks: eks as EksConfig,
    services: Object.fromEntries(
      Object.entries(env.app ? { [APP_SERVICE]: env.app } : (services ?? {})).map(([name, service]) => [name, { ...service, namespace: service.namespace ?? (env.cluster ? env.name : APP_NAMESPACE) }]),
    ) as Readonly<Record<string, ServiceConfig>>,
    servicesSection: (env.app ? "app" : "services") as "app" | "services",
  }));

/** An environment's VPC settings. */
export type NetworkConfig = z.output<typeof networkSchema>;
/** An environment's cluster settings. */
export type EksConfig = z.output<typeof eksSchema>;

/**
 * Keys the schema once had, with what to do instead: said in place of "unknown key", so an
 * older environment file gets told how to move on.
 */
export const REMOVED_KEYS: Readonly<Record<string, string>> = {
  "app.replicas":
    "is no longer a setting: the HorizontalPodAutoscaler owns the Deployment's replica count, and a replicas value in the chart would reset it on every helm upgrade (helm/helm#7090); set app.hpa.min, the fewest replicas, instead",
  "database.appUser": "moved: database.users maps each service to its database user; write database.users: { app: <user> } (docs/how-to.md, \"Connect to the database\")",
  "streaming.appTopicPrefix": "is no longer a setting: each topic is declared in streaming.topics with the services that produce and consume it, and grants name exactly those topics (docs/how-to.md, \"Kafka topics\")",
  "streaming.appGroupPrefix": "moved: streaming.groupPrefixes maps each consuming service to its consumer-group prefix; write streaming.groupPrefixes: { app: <prefix> }",
  "platform.karpenterCapacityTypes": "moved: each Karpenter NodePool says which capacity types it launches; set platform.karpenter.nodePools.<name>.capacityTypes (docs/how-to.md, \"Karpenter's nodes\")",
};

/** One validated environment file, with defaults applied (a tenant's host sections not yet filled in). */
export type ParsedEnvironment = z.output<typeof environmentSchema>;

/** One validated environment, with defaults applied, and its place in the cluster (config/tenancy.ts). */
export interface EnvironmentConfig extends ParsedEnvironment {
  /**
   * The environments that run in this one's cluster, resolved (config/tenancy.ts), for the host's
   * stacks: their namespaces, access and records are the host's to make.
   * @default - none
   */
  readonly tenants?: readonly EnvironmentConfig[];
}
/** What an environment file may contain (defaults not yet applied). */
export type EnvironmentInput = z.input<typeof environmentSchema>;

/** The severity an environment gives a rule, if it overrides it. */
export function severityOf(env: Pick<EnvironmentConfig, "policy">, ruleId: string): "error" | "warning" | undefined {
  const value = env.policy.severity[ruleId];
  return typeof value === "object" ? value.severity : value;
}
