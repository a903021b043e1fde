import { CI_ROLE_PATH } from "../modules/iam/reserved-paths";
import { type EnvironmentConfig } from "./schema";

/**
 * Names derived from an environment. They identify real resources (and, for stacks, state
 * files), so changing one moves or recreates infrastructure: treat them as an interface.
 */

/** Layers of an environment, one Terraform state each, in deployment order. */
export const LAYERS = ["network", "dns", "eks", "iam", "access", "database", "streaming", "platform", "app"] as const;
export type Layer = (typeof LAYERS)[number];

/**
 * The layers whose providers talk to the cluster API (kubernetes, helm). CI plans and applies
 * them on the environment's in-VPC runner (`ci.runner`); every other layer uses the AWS API only
 * and runs on hosted runners.
 */
export const CLUSTER_LAYERS: readonly Layer[] = ["platform", "app"];

/**
 * The layers an environment's cluster host provides: the VPC, the zone, the cluster, the paths to
 * its API and the platform's add-ons. An environment that runs in another's cluster (a tenant,
 * `cluster.environment`) has none of them, and reads them from its host's state (docs/topologies.md).
 */
export const CLUSTER_HOST_LAYERS: readonly Layer[] = ["network", "dns", "eks", "access", "platform"];

/** What the helpers below read of an environment's place: its name, and the host it runs in, if any. */
type Placed = Pick<EnvironmentConfig, "name"> & { readonly cluster?: { readonly environment: string } };

/** The environment whose cluster (and VPC, zone and platform) an environment runs in: its host's name, or its own. */
export function clusterEnvironment(env: Placed): string {
  return env.cluster?.environment ?? env.name;
}

/** The environment whose state holds a layer of an environment: the host's for {@link CLUSTER_HOST_LAYERS}, its own otherwise. */
export function layerOwner(env: Placed, layer: Layer): string {
  return CLUSTER_HOST_LAYERS.includes(layer) ? clusterEnvironment(env) : env.name;
}

/** Stack id of a layer: `<env>-<layer>`. */
export function stackId(env: Pick<EnvironmentConfig, "name">, layer: Layer): string {
  return `${env.name}-${layer}`;
}

/** Remote-state key of a layer: `<env>/<layer>.tfstate`. */
export function stateKey(env: Pick<EnvironmentConfig, "name">, layer: Layer): string {
  return `${env.name}/${layer}.tfstate`;
}

/** The EKS cluster's name; subnets carry it in their Karpenter discovery tag. */
export function clusterName(env: Placed): string {
  return `${clusterEnvironment(env)}-platform`;
}

/** The name of the environment's MSK cluster (`<env>-streaming`): CloudWatch's "Cluster Name" dimension and Prometheus's kafka_cluster label. */
export function kafkaClusterName(env: { readonly name: string }): string {
  return `${env.name}-kafka`;
}

/**
 * The CodeBuild project of an environment's GitHub Actions runner. Part of the interface: jobs
 * select the runner by it (`runs-on: codebuild-<project>-<run id>-<attempt>`).
 */
export function runnerProjectName(env: Placed): string {
  // A tenant's cluster jobs run on its host's runner, the one in the cluster's VPC.
  return `${clusterEnvironment(env)}-github-runner`;
}

/** Name of the access host's Auto Scaling group, its instance's Name tag and its role. */
export function accessHostName(env: Pick<EnvironmentConfig, "name">): string {
  return `${env.name}-access-host`;
}

/** Namespace of the application, unless config names another (`app.namespace`). */
export const APP_NAMESPACE = "app";

/** The namespace of the environment's services (config checks they share one). */
export function appNamespace(env: Pick<EnvironmentConfig, "services"> & Partial<Placed>): string {
  // Without services, the namespace the environment would get (a tenant's is named after it).
  return Object.values(env.services)[0]?.namespace ?? (env.cluster && env.name ? env.name : APP_NAMESPACE);
}

/**
 * The service account of an environment's SecretStore in its namespace, which no pod runs as:
 * External Secrets requests its token to read the environment's secrets (k8s/member-namespace.ts).
 */
export const SECRET_STORE_ACCOUNT = "secret-store";

/** The role of an environment's SecretStore (`<env>-secret-store`): its services' secrets only, trusted by {@link SECRET_STORE_ACCOUNT} of its namespace only. */
export function secretStoreRoleName(env: Pick<EnvironmentConfig, "name">): string {
  return `${env.name}-secret-store`;
}

/** The PriorityClass of an environment's pods (`environment-<env>`), made by its cluster host's platform. */
export function priorityClassName(env: Pick<EnvironmentConfig, "name">): string {
  return `environment-${env.name}`;
}

/** The Kubernetes group of a tenant's CI roles and editors, bound to its services' custom resources in its namespace. */
export function deployersGroup(env: Pick<EnvironmentConfig, "name">): string {
  return `environment:${env.name}:deployers`;
}

/** Namespaces of the platform's Helm releases (and of the platform's own objects). */
export const PLATFORM_NAMESPACES = ["kube-system", "aws-load-balancer-controller", "external-secrets", "external-dns", "monitoring", "logging", "karpenter", "keda"] as const;

/**
 * Namespaces of the platform's Helm releases and the application: CI's plan role may read their
 * Secrets (Helm keeps release state there), nothing else's. KEDA's only where it runs: the list is
 * the access scope of CI's EKS access policies, which EKS replaces when it changes.
 */
export function releaseNamespaces(env: Pick<EnvironmentConfig, "services" | "platform">): string[] {
  // kedaEnabled's test, inline: naming.ts loads no schema (the delivery CLIs import it, and start faster without zod).
  return [...PLATFORM_NAMESPACES.filter((ns) => ns !== "keda" || env.platform?.keda?.enabled === true), appNamespace(env)];
}

/** The workload role of a platform controller (`<env>-keda`): `<env>-iam` names each controller's role so, and other stacks grant to it by that name. */
export function platformRoleName(env: Placed, workload: string): string {
  // The controllers are the cluster's: a tenant's stacks grant its host's (KEDA reads a tenant's Kafka lag as <host>-keda).
  return `${clusterEnvironment(env)}-${workload}`;
}

/**
 * The ECR repository every account with environments has had: the `app` service's. An account
 * whose environments name no service keeps it, so that no existing registry is ever deleted by
 * an upgrade.
 */
export const APP_IMAGE_REPOSITORY = "app";

/** What each of CI's roles per environment does; see docs/review-workflow.md, "The trust chain". */
export type CiRole = "plan" | "apply" | "drift";

/** Name of one of CI's roles of an environment (`dev-github-plan`); the account stack creates them. */
export function ciRoleName(env: Pick<EnvironmentConfig, "name">, role: CiRole): string {
  return `${env.name}-github-${role}`;
}

/** ARN of one of CI's roles of an environment, known before it exists. */
export function ciRoleArn(env: Pick<EnvironmentConfig, "name" | "account">, role: CiRole): string {
  return `arn:aws:iam::${env.account.id}:role${CI_ROLE_PATH}${ciRoleName(env, role)}`;
}

/** Stack id of the per-account stack (GitHub OIDC provider, CI roles, image registry). */
export function accountStackId(accountId: string): string {
  return `account-${accountId}`;
}

/** State key of an account stack once its state is in the bucket (`bootstrap/account-<id>.tfstate`). */
export function accountStateKey(accountId: string): string {
  return `bootstrap/${accountStackId(accountId)}.tfstate`;
}

/**
 * The GitHub Environment that applies state-backend, and what `npm run stacks` calls its stacks
 * ("bootstrap": the account stacks). Neither may be an environment's name
 * ({@link RESERVED_ENVIRONMENT_NAMES}): its plans, apply job and GitHub Environment would be taken for theirs.
 */
export const SHARED_ENVIRONMENT = "shared";

/** What `npm run stacks` calls the account stacks, which an operator applies (CI only plans them, as each account's plan role). */
export const BOOTSTRAP_STACKS = "bootstrap";

/**
 * The GitHub Environment a production environment's plans run in (`plan-prod`): it has required
 * reviewers who are not the run's author, and the environment's plan role trusts its jobs only,
 * so pull-request code reads production (its state, its releases' Secrets) only after a person
 * approved the run (docs/architecture.md, "What a pull request can read"). Environment names
 * have no hyphen, so it is never an environment's own GitHub Environment.
 */
export function planEnvironmentName(env: Pick<EnvironmentConfig, "name">): string {
  return `${PLAN_ENVIRONMENT_PREFIX}${env.name}`;
}

/**
 * The GitHub Environment of the trusted review jobs (plan-review.yml's render, apply's
 * reviewed-plan, drift's report): it holds the review private key, and its deployment branch
 * policy admits the default branch only, so no job that runs a pull request's code can enter it.
 * It is `plan-<review>`, and `review` is a reserved environment name: no production plan's
 * GitHub Environment can be it.
 */
export const REVIEW_ENVIRONMENT = "plan-review";

/** Prefix of the GitHub Environments of production plans ({@link planEnvironmentName}). */
export const PLAN_ENVIRONMENT_PREFIX = "plan-";

/**
 * Name of the plan role of an account stack (one per account), which pull requests plan the
 * account stack with. The part before `-github-` has a hyphen, so no `<env>-github-<kind>` (an
 * environment's name has none) and no state-backend role can ever be it.
 */
export const ACCOUNT_PLAN_ROLE_NAME = "account-stack-github-plan";

/** ARN of an account stack's plan role, known before it exists; the account stack creates it. */
export function accountPlanRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role${CI_ROLE_PATH}${ACCOUNT_PLAN_ROLE_NAME}`;
}

/**
 * Grafana's admin secret of an environment with a platform (the platform stack makes it). Its
 * version is written write-only, yet refreshing it reads the value (GetSecretValue), so it is the
 * one secret value CI's plan and drift roles may read.
 */
export function grafanaAdminSecretName(env: Pick<EnvironmentConfig, "name">): string {
  return `${platformSecretsPrefix(env)}grafana-admin`;
}

/** The prefix of the platform's own secrets of an environment (`<env>/platform/`): Grafana's admin, the alert receivers' credentials; the platform's ClusterSecretStore reads these only. */
export function platformSecretsPrefix(env: Pick<EnvironmentConfig, "name">): string {
  return `${env.name}/platform/`;
}

/**
 * Names no environment may have, each with the reason: the flow already uses them for something
 * else (a stack group, a GitHub Environment, a state key prefix, a workflow's job), and an
 * environment of that name would merge with it in CI's jobs, artifacts or state. (Longer names
 * such as `organization` or `state-backend` fail the name's own pattern already: 2–10 lowercase
 * letters or digits, no hyphen, which also keeps `plan-<env>` from ever being an environment.)
 */
export const RESERVED_ENVIRONMENT_NAMES: Readonly<Record<string, string>> = {
  shared: "state-backend's group and its GitHub Environment",
  bootstrap: "the account stacks' group, and the state key prefix of their state (bootstrap/)",
  state: "the state-backend stack and its state key prefix (state-backend/)",
  account: "the account stacks (account-<id>) and their plan role (account-stack-github-plan)",
  plan: "the plan workflow, and the prefix of production plans' GitHub Environments (plan-<env>)",
  plans: "the plan artifacts (plans-<env>)",
  review: "the trusted review jobs and their GitHub Environment",
  drift: "the drift workflow and its artifacts (drift-<env>)",
  apply: "the apply workflow and its concurrency group",
  ci: "the path of CI's roles (/ci/) and the CI workflow's concurrency group",
};

/** What each of CI's roles of the state-backend stack does: plan for pull requests, apply in {@link SHARED_ENVIRONMENT}. */
export type StateCiRole = "plan" | "apply";

/**
 * Name of one of CI's roles of the state-backend stack (`state-backend-github-plan`). An
 * environment's name has no hyphen, so no `<env>-github-<kind>` can ever be one of these.
 */
export function stateCiRoleName(role: StateCiRole): string {
  return `state-backend-github-${role}`;
}

/** ARN of one of CI's roles of the state-backend stack, in the state account; the state account's account stack creates them. */
export function stateCiRoleArn(stateAccountId: string, role: StateCiRole): string {
  return `arn:aws:iam::${stateAccountId}:role${CI_ROLE_PATH}${stateCiRoleName(role)}`;
}

/** Name of the IAM permissions boundary policy every role of the environment carries. */
export function permissionsBoundaryName(env: Placed): string {
  // The network layer makes it, the cluster host's: a tenant's roles carry its host's boundary.
  return `${clusterEnvironment(env)}-platform-boundary`;
}

/** The layer of an environment's stack id (`prod-eks` → `eks`); undefined for the shared and bootstrap stacks. */
export function layerOfStack(stack: string): Layer | undefined {
  return new RegExp(`^[a-z][a-z0-9]*-(${LAYERS.join("|")})$`).exec(stack)?.[1] as Layer | undefined;
}

/** The stack whose state a key holds (`dev/network.tfstate` → `dev-network`): {@link stateKey} read back. */
export function stackOfStateKey(key: string): string {
  return key.replace(/\.tfstate$/, "").replace("/", "-");
}

/**
 * The environment a stack id belongs to (`prod-network` → `prod`); `bootstrap` for the account
 * stacks, which an operator applies once (CI runs as the roles they create); `shared` for
 * state-backend.
 */
export function environmentOfStack(stack: string): string {
  if (/^account-\d{12}$/.test(stack)) return BOOTSTRAP_STACKS;
  const match = new RegExp(`^([a-z][a-z0-9]*)-(${LAYERS.join("|")})$`).exec(stack);
  return match?.[1] ?? SHARED_ENVIRONMENT;
}

/** The id of a module's main resource, left out of its address (aws-cdk's convention). */
export const DEFAULT_CHILD = "Default";

/**
 * The Terraform name of a block from its construct path below the stack: the ids joined with
 * `_` (leaving out `Default`), with characters Terraform rejects in a name replaced by `_`.
 * `["network", "nat", "eu-west-1a"]` → `network_nat_eu-west-1a`. The one naming rule, used by
 * the stacks to name blocks and by plan-guard to find what a `protect` path covers in any plan.
 */
export function terraformName(pathBelowStack: readonly string[]): string {
  return pathBelowStack
    .filter((id) => id !== DEFAULT_CHILD)
    .join("_")
    .replace(/[^A-Za-z0-9_-]/g, "_");
}

/** What {@link promotionOrder} reads of an environment. */
export interface Promoted {
  readonly name: string;
  readonly production: boolean;
  readonly cluster?: { readonly environment: string };
}

/**
 * The environments in the order CI applies them: the non-production ones, then production, each
 * group in file order, with every cluster host moved just before its first tenant. A host's
 * stacks (VPC, cluster, add-ons) are what its tenants' stacks read, and a change to them reaches
 * every tenant: the host goes first even when it is production and a tenant is not. Without
 * tenants the order is exactly non-production, then production.
 */
export function promotionOrder(envs: readonly Promoted[]): string[] {
  const order = [...envs.filter((e) => !e.production), ...envs.filter((e) => e.production)].map((e) => e.name);
  // Moving a host earlier shifts what follows by one, so every host placed before stays before its tenants.
  for (const host of envs.filter((e) => e.cluster === undefined)) {
    const tenants = envs.filter((e) => e.cluster?.environment === host.name).map((e) => order.indexOf(e.name));
    if (tenants.length === 0) continue;
    const first = Math.min(...tenants);
    const at = order.indexOf(host.name);
    if (at > first) order.splice(first, 0, ...order.splice(at, 1));
  }
  return order;
}
