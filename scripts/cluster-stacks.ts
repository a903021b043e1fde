import { type EnvironmentConfig } from "../config/schema";
import { clusterEnvironment, environmentOfStack } from "../config/naming";
import { type ClusterToCheck } from "../k8s/validation/check";
import { clusterObjects, type StackJson } from "../k8s/validation/cluster-objects";

/**
 * The clusters a synth's stacks make, each with every stack of the environments that run in it:
 * the host's and its tenants' (config/tenancy.ts), so that the cross-object checks see a tenant's
 * workloads beside the namespace, store and policies its host's platform makes for it. One
 * cluster per host, in the environments' order, with the host's Kubernetes version.
 */
export function clustersToCheck(environments: readonly EnvironmentConfig[], order: readonly string[], readStack: (id: string) => StackJson): ClusterToCheck[] {
  const present = environments.filter((env) => order.some((s) => environmentOfStack(s) === env.name));
  const hosts = [...new Set(present.map(clusterEnvironment))];
  return hosts.flatMap((host) => {
    const members = present.filter((env) => clusterEnvironment(env) === host);
    const config = environments.find((env) => env.name === host) ?? members[0];
    if (!config) return [];
    const stacks = Object.fromEntries(order.filter((s) => members.some((m) => environmentOfStack(s) === m.name)).map((s) => [s, readStack(s)]));
    return [{ cluster: clusterObjects(host, stacks), kubernetesVersion: config.eks.version }];
  });
}
