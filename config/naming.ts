import { type EnvironmentConfig } from "./schema";

/**
 * Names derived from an environment. They identify real resources (and, for stacks, state
 * files), so changing one moves or recreates infrastructure: treat them as an interface.
 */

/** Layers of an environment, one Terraform state each, in deployment order. */
export const LAYERS = ["network", "eks", "iam", "database", "streaming", "platform", "app"] as const;
export type Layer = (typeof LAYERS)[number];

/** Stack id of a layer: `<env>-<layer>`. */
export function stackId(env: Pick<EnvironmentConfig, "name">, layer: Layer): string {
  return `${env.name}-${layer}`;
}

/** Remote-state key of a layer: `<env>/<layer>.tfstate`. */
export function stateKey(env: Pick<EnvironmentConfig, "name">, layer: Layer): string {
  return `${env.name}/${layer}.tfstate`;
}

/** The EKS cluster's name; subnets carry it in their Karpenter discovery tag. */
export function clusterName(env: Pick<EnvironmentConfig, "name">): string {
  return `${env.name}-platform`;
}

/** Name of the IAM permissions boundary policy every role of the environment carries. */
export function permissionsBoundaryName(env: Pick<EnvironmentConfig, "name">): string {
  return `${env.name}-platform-boundary`;
}

/** The environment a stack id belongs to (`prod-network` → `prod`); `shared` for stacks of none. */
export function environmentOfStack(stack: string): string {
  const match = new RegExp(`^([a-z][a-z0-9]*)-(${LAYERS.join("|")})$`).exec(stack);
  return match?.[1] ?? "shared";
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
