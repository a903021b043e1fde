import { type Construct } from "constructs";
import { accountStackId, CLUSTER_HOST_LAYERS, type EnvironmentConfig, hasCodebuildRunner, hostsCluster, type Layer, stackId } from "../config";
import { AccessStack } from "./access-stack";
import { type EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";
import { AddonsStack } from "./addons-stack";
import { AppStack } from "./app-stack";
import { DatabaseStack } from "./database-stack";
import { DnsStack } from "./dns-stack";
import { EksStack } from "./eks-stack";
import { IamStack } from "./iam-stack";
import { NetworkStack } from "./network-stack";
import { STATE_BACKEND_STACK_ID } from "./state-backend-stack";
import { StreamingStack } from "./streaming-stack";

/** One layer of an environment: one Terraform state, one stack class. */
export interface LayerEntry {
  /** The layer (`<env>-<layer>` is its stack id, `<env>/<layer>.tfstate` its state key). */
  readonly layer: Layer;
  /**
   * Layers whose named outputs this one reads through remote state (those an environment has:
   * see {@link consumesOf}). They become the stack's
   * dependencies, so `cdktf deploy`, `npm run stacks` and CI apply them first (and destroy them last).
   */
  readonly consumes: readonly Layer[];
  /**
   * Layers applied before this one (and destroyed after it) whose outputs it does not read: the
   * roles its grants attach to, which config names (`<env>-<service>`).
   * @default - none beyond {@link consumes}
   */
  readonly after?: readonly Layer[];
  /**
   * Whether an environment has this layer (say, Kafka switched off in dev). A layer that is off
   * has no stack, and its consumers read nothing from it.
   * @default - every environment has it
   */
  readonly enabled?: (env: EnvironmentConfig) => boolean;
  /** Creates the layer's stack. */
  readonly create: (scope: Construct, props: EnvironmentStackProps) => EnvironmentStack;
}

/**
 * Every layer, in deployment order: the one place a layer is added. The stack list, its
 * dependency order, the stale-output cleanup and the tests all derive from it.
 */
export const LAYER_REGISTRY: readonly LayerEntry[] = [
  { layer: "network", consumes: [], create: (scope, props) => new NetworkStack(scope, props) },
  // The zone first: its delegation from the parent must be in place before ACM validates in it.
  { layer: "dns", consumes: [], enabled: (env) => env.dns !== undefined && env.dns.zoneId === undefined, create: (scope, props) => new DnsStack(scope, props) },
  { layer: "eks", consumes: ["network"], create: (scope, props) => new EksStack(scope, props) },
  // The controllers' roles are the cluster host's; a tenant's iam layer holds its services' only.
  { layer: "iam", consumes: ["network", "eks", "dns"], create: (scope, props) => new IamStack(scope, { ...props, controllers: hostsCluster(props.env) }) },
  // The paths to the private API endpoint: CI's runner must exist before the platform is planned on it.
  { layer: "access", consumes: ["network", "eks"], enabled: (env) => hasCodebuildRunner(env) || env.access.host, create: (scope, props) => new AccessStack(scope, props) },
  // The data layers grant the services' roles (iam's) access: their grants live with them.
  { layer: "database", consumes: ["network", "eks"], after: ["iam"], enabled: (env) => env.database !== undefined, create: (scope, props) => new DatabaseStack(scope, props) },
  { layer: "streaming", consumes: ["network", "eks"], after: ["iam"], enabled: (env) => env.streaming !== undefined, create: (scope, props) => new StreamingStack(scope, props) },
  // After streaming, whose brokers Prometheus scrapes (their DNS domain is its output).
  { layer: "platform", consumes: ["network", "eks", "iam", "dns", "streaming"], after: ["access"], enabled: (env) => env.platform !== undefined, create: (scope, props) => new AddonsStack(scope, props) },
  // After platform (and destroyed before it): the controller must outlive the app's Ingress and its ALB.
  // After iam too, whose roles (named by config, `<env>-<service>`) its service accounts name.
  { layer: "app", consumes: ["eks", "dns", "platform", "database", "streaming"], after: ["iam", "access"], enabled: (env) => Object.keys(env.services).length > 0, create: (scope, props) => new AppStack(scope, props) },
];

/**
 * The layers an environment has: those whose `enabled` rule it meets, and of the layers a cluster
 * host provides ({@link CLUSTER_HOST_LAYERS}: VPC, zone, cluster, API paths, add-ons) only where it
 * hosts its cluster. A tenant (config `cluster.environment`) reads them from its host's state.
 */
export function layersOf(env: EnvironmentConfig): LayerEntry[] {
  return LAYER_REGISTRY.filter((entry) => (entry.enabled?.(env) ?? true) && (hostsCluster(env) || !CLUSTER_HOST_LAYERS.includes(entry.layer)));
}

/** The layers an environment's stacks read, or follow, that its cluster host provides: its host's for a tenant, its own otherwise. */
function hostLayers(env: EnvironmentConfig): Layer[] {
  const host = hostsCluster(env) ? env : { ...env, cluster: undefined };
  return layersOf(host).map((e) => e.layer).filter((layer) => CLUSTER_HOST_LAYERS.includes(layer));
}

/** The layers a layer reads in an environment: those of its `consumes` the environment has (the app reads no Kafka in dev). */
export function consumesOf(entry: LayerEntry, env: EnvironmentConfig): Layer[] {
  const present = presentLayers(env);
  return entry.consumes.filter((layer) => present.includes(layer));
}

/** The layers whose state an environment's stacks can read: its own, and its host's cluster layers (a tenant's config holds the host's sections, so the host's rules apply). */
function presentLayers(env: EnvironmentConfig): Layer[] {
  return [...new Set([...layersOf(env).map((e) => e.layer), ...hostLayers(env)])];
}

/** The layers a layer is applied after in an environment: those it consumes, and those it must follow, that the environment has. */
export function dependenciesOf(entry: LayerEntry, env: EnvironmentConfig): Layer[] {
  const present = presentLayers(env);
  return [...entry.consumes, ...(entry.after ?? [])].filter((layer) => present.includes(layer));
}

/** Ids of every stack the given environments and state account produce: account stacks (the state account's too), state backend, then each environment's layers. */
export function expectedStackIds(environments: readonly EnvironmentConfig[], stateAccountId: string): string[] {
  const accounts = [...new Set([...environments.map((env) => env.account.id), stateAccountId].map(accountStackId))];
  return [...accounts, STATE_BACKEND_STACK_ID, ...environments.flatMap((env) => layersOf(env).map((entry) => stackId(env, entry.layer)))];
}

/**
 * The host's layers whose state a tenant's stacks read (its cluster, VPC, zone, add-ons): its CI
 * roles may read exactly those state keys of its host, and write none (stacks/platform-app.ts).
 * None for a host.
 */
export function hostStateReads(env: EnvironmentConfig): Layer[] {
  if (hostsCluster(env)) return [];
  const read = layersOf(env).flatMap((entry) => consumesOf(entry, env));
  return [...new Set(read)].filter((layer) => CLUSTER_HOST_LAYERS.includes(layer)).sort();
}
