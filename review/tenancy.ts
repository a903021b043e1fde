import { environmentOfStack, type Layer, layerOfStack } from "../config/naming";
import { type Listing } from "./budget";
import { kindsOf } from "./classify";
import { dataLoss } from "./data-loss";
import { code } from "./markdown";
import { type StackModel } from "./model";
import { type ResourceChange } from "./plan";
import { SEE_FULL } from "./sections";

/**
 * What the review tools know of clusters shared by several environments (config
 * `cluster.environment`, docs/topologies.md): which environment's services each namespace holds,
 * so that the guard names the environment a namespace deletion destroys, and the comment says
 * whom a change to a host's cluster reaches. The CLIs read it from the config files as data
 * (scripts/tenancy-delivery.ts): the base branch's and the change's, like the protect lists.
 */

/** An environment whose services run in a cluster. */
export interface ClusterMember {
  /** The environment's name. */
  readonly environment: string;
  /**
   * The namespaces its services run in: one, or both when the base branch's config and the
   * change's name different ones (the old one is still there until the change is applied).
   */
  readonly namespaces: readonly string[];
  /** Whether the environment is production (config `production`). */
  readonly production: boolean;
}

/** One EKS cluster and the environments whose services run in it. */
export interface ClusterMembers {
  /** The environment that hosts the cluster: its `eks` and `platform` stacks make it and its add-ons. */
  readonly host: string;
  /** Every environment with services in the cluster: the host first when it has any, then its tenants. */
  readonly members: readonly ClusterMember[];
}

/**
 * The host's layers whose changes reach every environment in its cluster at once: the cluster
 * (its Kubernetes version, node groups, EKS add-ons) and the platform's add-ons (ingress,
 * secrets, DNS, monitoring, autoscaling). A shared cluster has no environment that tries such a
 * change first.
 */
export const CLUSTER_WIDE_LAYERS: readonly Layer[] = ["eks", "platform"];

/** The Terraform types of a namespace (the kubernetes provider's, 2.38: `kubernetes_namespace_v1`, and its deprecated alias). */
const NAMESPACE_TYPES: readonly string[] = ["kubernetes_namespace_v1", "kubernetes_namespace"];

/** The environment whose services a namespace holds, as the guard names it. */
export interface NamespaceOwner extends ClusterMember {
  readonly host: string;
  /** The namespace the change deletes. */
  readonly namespace: string;
}

/**
 * The environment whose services live in the namespace a change deletes or replaces, if any: a
 * namespace of that name made by the cluster host's stacks (the platform stack makes every
 * member's, `namespace-<name>`) or by the environment's own.
 */
export function namespaceOwner(stack: string, rc: ResourceChange, clusters: readonly ClusterMembers[]): NamespaceOwner | undefined {
  if (rc.mode === "data" || !NAMESPACE_TYPES.includes(rc.type) || !rc.change.actions.includes("delete")) return undefined;
  const name = namespaceName(rc);
  if (name === undefined) return undefined;
  const env = environmentOfStack(stack);
  for (const { host, members } of clusters) {
    const member = members.find((m) => (env === host || env === m.environment) && m.namespaces.includes(name));
    if (member) return { ...member, host, namespace: name };
  }
  return undefined;
}

/**
 * The name of the namespace a change deletes: its `metadata` block's (a list of one object in
 * the plan's JSON, as every nested block: the provider's schema has `metadata` as a block,
 * registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/namespace_v1), else
 * the construct id the platform stack gives it (`namespace-<name>`).
 */
function namespaceName(rc: ResourceChange): string | undefined {
  const metadata = (rc.change.before as { metadata?: unknown } | null | undefined)?.metadata;
  const name = ((Array.isArray(metadata) ? metadata[0] : metadata) as { name?: unknown } | undefined)?.name;
  if (typeof name === "string" && name !== "") return name;
  return /\.namespace-([a-z0-9-]+)(\[[^\]]*\])?$/.exec(rc.address)?.[1];
}

/** Why the guard refuses deleting (or replacing) a namespace that holds an environment's services, naming the environment. */
export function namespaceRefusal(owner: NamespaceOwner, rc: ResourceChange): string {
  const where = owner.environment === owner.host ? `in its own cluster` : `a tenant of ${owner.host}'s cluster`;
  const loss = dataLoss(rc);
  return `environment namespace: "${owner.namespace}" holds the services of ${owner.environment}${owner.production ? " (production)" : ""}, ${where}${loss.length ? `; ${loss.join("; ")}` : ""}`;
}

/** Changes that change the cluster: a move, import or forget alone changes nothing in it. */
const CHANGING = new Set(["create", "update", "replace", "delete"]);
const changesCluster = (rc: ResourceChange) => kindsOf(rc).some((k) => CHANGING.has(k));

const field = (value: unknown, key: string): unknown => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined);
const shown = (value: unknown) => (typeof value === "string" || typeof value === "number" ? code(String(value)) : "(known after apply)");

/** What a reviewer most needs to know of a cluster-wide change: a new Kubernetes version, a new chart version of an add-on. */
function highlights(model: StackModel): string[] {
  return model.changes.filter(changesCluster).flatMap((rc) => {
    const [before, after] = [rc.change.before, rc.change.after];
    if (before === null || before === undefined || field(before, "version") === field(after, "version")) return [];
    if (rc.type === "aws_eks_cluster") return [`Kubernetes ${shown(field(before, "version"))} → ${shown(field(after, "version"))}`];
    if (rc.type === "helm_release") return [`${code(String(field(before, "name") ?? rc.address))} ${shown(field(before, "version"))} → ${shown(field(after, "version"))}`];
    return [];
  });
}

const memberText = (m: ClusterMember, host: string) =>
  `${code(m.environment)} (${m.environment === host ? "the host's own services, " : ""}namespace ${m.namespaces.map(code).join(" and ")}${m.production ? ", production" : ""})`;

/**
 * One line per shared cluster whose host's `eks` or `platform` plan changes anything: the
 * stacks, what they upgrade, and every environment in the cluster by name and namespace. Said
 * because a shared cluster breaks the promotion order: the host is applied once, and the change
 * reaches its development and production tenants together.
 */
export function sharedClusterListing(models: readonly StackModel[], clusters: readonly ClusterMembers[]): Listing | undefined {
  const items = clusters.flatMap(({ host, members }) => {
    if (!members.some((m) => m.environment !== host)) return [];
    const changed = models.filter((m) => environmentOfStack(m.stack) === host && CLUSTER_WIDE_LAYERS.includes(layerOfStack(m.stack) as Layer) && m.changes.some(changesCluster));
    if (!changed.length) return [];
    const stacks = changed.map((m) => {
      const notes = highlights(m);
      return `${code(m.stack)}${notes.length ? ` (${notes.join("; ")})` : ""}`;
    });
    return [`> - ${stacks.join(" and ")} change${changed.length === 1 ? "s" : ""} the cluster of ${code(host)}, and so every environment in it: ${members.map((m) => memberText(m, host)).join(", ")}`];
  });
  if (!items.length) return undefined;
  return {
    name: "the shared clusters",
    head: [
      "> [!IMPORTANT]",
      "> **A shared cluster changes for every environment in it at once.** Its Kubernetes version and add-ons are its host's: applying the host's plan upgrades its production and non-production tenants together, so no environment tries this change first. Check each one's services against it.",
      ">",
    ].join("\n"),
    items,
    more: (n) => `> - …and ${n} more shared clusters: ${SEE_FULL}`,
  };
}
