import { CLUSTER_AUTOSCALER_IMAGE_TAGS } from "../modules/addons/cluster-autoscaler-builds";
import { type NodePlacement, ON_SHARED_NODES, ON_SYSTEM_NODES, SYSTEM_PODS_LABEL } from "../modules/addons/placement";
import { type EnvironmentConfig } from "./schema";

/**
 * The shapes a cluster's managed node groups come in, and what each group is labelled and tainted
 * with. Every cluster has either
 * - a `system` group (CoreDNS and the controllers, tainted CriticalAddonsOnly so nothing else
 *   lands there) and an `apps` group (the services), the shape production requires; or
 * - one `shared` group that runs both (reference design 003's small cluster: one group of
 *   t3.medium nodes), without the taint. A config warning says what that gives up.
 *
 * Application pods select `platform/node-group: apps` (k8s/app-chart.ts, Karpenter's NodePools);
 * the platform's add-ons select `platform/node-group: system` (modules/addons/addon.ts). A node
 * has one value per label key, so the shared group carries `platform/node-group: apps` (the
 * services land on it unchanged) and a second label, `platform/system-pods: "true"`, that the add-ons
 * select instead in a shared cluster. Karpenter's nodes never carry it, so no add-on (Karpenter's
 * controller least of all) runs on a node Karpenter may remove.
 */

/** The label every managed group's nodes carry: its role, which pods select. */
export const NODE_GROUP_LABEL = "platform/node-group";

/** The group of CoreDNS and the controllers. */
export const SYSTEM_NODE_GROUP = "system";

/** The group of the services. */
export const APPS_NODE_GROUP = "apps";

/** The one group of a small cluster, for the add-ons and the services alike. */
export const SHARED_NODE_GROUP = "shared";


type NodeGroupConfig = EnvironmentConfig["eks"]["nodeGroups"][string];

/** Whether the cluster runs on one shared group rather than separate system and apps groups. */
export function hasSharedNodeGroup(env: Pick<EnvironmentConfig, "eks">): boolean {
  return SHARED_NODE_GROUP in env.eks.nodeGroups;
}

/** Where the platform's add-ons run: the system nodes, or a small cluster's shared group. */
export function addonPlacement(env: Pick<EnvironmentConfig, "eks">): NodePlacement {
  return hasSharedNodeGroup(env) ? ON_SHARED_NODES : ON_SYSTEM_NODES;
}

/**
 * The value of {@link NODE_GROUP_LABEL} on a group's nodes: the group's own name, but `apps` for
 * the shared group (application pods select it), unless config labels the group itself.
 */
export function nodeGroupRole(name: string, group: Pick<NodeGroupConfig, "labels">): string {
  return group.labels[NODE_GROUP_LABEL] ?? (name === SHARED_NODE_GROUP ? APPS_NODE_GROUP : name);
}

/** The Kubernetes labels of a group's nodes: its role, the shared group's admission of add-ons, then config's own. */
export function nodeGroupLabels(name: string, group: Pick<NodeGroupConfig, "labels">): Record<string, string> {
  const own: Record<string, string> = name === SHARED_NODE_GROUP ? { [SYSTEM_PODS_LABEL.key]: SYSTEM_PODS_LABEL.value } : {};
  return { [NODE_GROUP_LABEL]: nodeGroupRole(name, group), ...own, ...group.labels };
}

/** The taints of a group's nodes: the system group also gets CriticalAddonsOnly, the shared group none of its own. */
export function nodeGroupTaints(name: string, group: Pick<NodeGroupConfig, "taints">): NodeGroupConfig["taints"] {
  // The system group runs only what tolerates CriticalAddonsOnly: CoreDNS and the controllers.
  return name === SYSTEM_NODE_GROUP ? [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }, ...group.taints] : group.taints;
}

/**
 * Whether the Cluster Autoscaler runs: `eks.clusterAutoscaler` when set, else exactly when
 * Karpenter is off (something must add nodes for pending pods), there is a platform section (it
 * is a release of `<env>-platform`, beside the other add-ons) and a build is pinned for the
 * cluster's Kubernetes version (else a warning says the groups stay at their configured size). Config refuses it together
 * with Karpenter, and without a platform section.
 */
export function clusterAutoscalerEnabled(env: Pick<EnvironmentConfig, "eks" | "platform">): boolean {
  return env.eks.clusterAutoscaler ?? (!env.eks.karpenter && env.platform !== undefined && CLUSTER_AUTOSCALER_IMAGE_TAGS[env.eks.version] !== undefined);
}

/** Whether the autoscaler would run by default but cannot: no build is pinned for the cluster's version (a warning says so). */
export function clusterAutoscalerUnbuilt(env: Pick<EnvironmentConfig, "eks" | "platform">): boolean {
  return env.eks.clusterAutoscaler === undefined && !env.eks.karpenter && env.platform !== undefined && CLUSTER_AUTOSCALER_IMAGE_TAGS[env.eks.version] === undefined;
}
