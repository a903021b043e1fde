import { appNamespace, clusterEnvironment } from "./naming";
import { type FieldProblem } from "./checks";
import { unusedZoneProblem } from "./edge-checks";
import { routedServices, serviceField } from "./services";
import { type EnvironmentConfig, HOST_SECTIONS, type ParsedEnvironment } from "./schema";

/**
 * Where an environment runs: in a cluster of its own (it hosts it), or in another environment's
 * (a tenant, `cluster.environment`). A tenant has no network, dns, eks, access or platform layer
 * of its own: the registry leaves them out (stacks/registry.ts), its stacks read its host's state
 * (naming.ts, `layerOwner`), and its config takes the host's sections, so that every check and
 * every name derived from them (subnets, the cluster's version, KEDA, tracing) is the host's.
 * Nothing else branches on the topology (docs/topologies.md).
 */

/**
 * The sections a tenant takes from its host besides {@link HOST_SECTIONS}, all with defaults, so
 * a tenant's file may only leave them out: CI's runner and the access host are in the host's VPC;
 * Alertmanager, the OpenTelemetry Collector and Grafana are the host's add-ons, so its receivers
 * and routes are every tenant's (the alerts carry the tenant's namespace). A tenant's alarm
 * thresholds (`observability.alarms`, its database's and Kafka's) stay its own.
 */
export const INHERITED_SECTIONS = ["ci", "access", "observability.alerting", "observability.tracing", "observability.grafana"] as const;

/** Whether an environment hosts its cluster (and VPC, zone, platform); a tenant does not. */
export function hostsCluster(env: Pick<ParsedEnvironment, "cluster">): boolean {
  return env.cluster === undefined;
}

/** The environments that run in an environment's cluster (none for a tenant). */
export function tenantsOf(env: Pick<EnvironmentConfig, "tenants">): readonly EnvironmentConfig[] {
  return env.tenants ?? [];
}

/** Every environment whose services run in an environment's cluster: itself (when it has any) and its tenants, in that order. */
export function clusterMembers(env: EnvironmentConfig): readonly EnvironmentConfig[] {
  return [env, ...tenantsOf(env)];
}

/** A tenant with its host's sections: what every check and stack of it reads. */
export function resolveTenant(tenant: ParsedEnvironment, host: ParsedEnvironment): ParsedEnvironment {
  const { alerting, tracing, grafana } = host.observability;
  return { ...tenant, network: host.network, eks: host.eks, platform: host.platform, dns: host.dns, ci: host.ci, access: host.access, observability: { ...tenant.observability, alerting, tracing, grafana } };
}

/** Fields of a tenant's checks that are its host's sections: reported in the host's file, not again in each tenant's. */
export function isHostField(field: string): boolean {
  return [...HOST_SECTIONS, ...INHERITED_SECTIONS].some((section) => field === section || field.startsWith(`${section}.`));
}

/** What {@link hostProblem} knows of the other files: the hosts, loaded, and each tenant's host name. */
export interface ClusterDirectory {
  /** Environments that host a cluster, by name. */
  readonly hosts: ReadonlyMap<string, ParsedEnvironment>;
  /** Tenants by name, with the host each names. */
  readonly tenants: ReadonlyMap<string, string>;
  /**
   * Names of the files that host a cluster, loaded or not.
   * @default - the loaded hosts
   */
  readonly declared?: ReadonlySet<string>;
}

/**
 * Why a tenant's `cluster.environment` names no host it can run in: itself, no environment, or a
 * tenant (no chains: a tenant's host must host its own cluster). Undefined when it names a host.
 */
export function hostProblem(env: ParsedEnvironment, directory: ClusterDirectory | undefined): FieldProblem | undefined {
  const named = env.cluster?.environment;
  if (named === undefined) return undefined;
  const field = "cluster.environment";
  if (named === env.name) {
    return { field, value: named, message: "names this environment itself: a tenant runs in another environment's cluster; remove cluster to host a cluster of its own" };
  }
  if (!directory) {
    return { field, value: named, message: "needs its host's file: a tenant is loaded with the other environments of its config folder (loadEnvironments), which hold its host" };
  }
  const hostOfNamed = directory.tenants.get(named);
  if (hostOfNamed !== undefined) {
    return { field, value: named, message: `names an environment that is itself a tenant (of ${hostOfNamed}): a host must run its own cluster, so there are no chains; name ${hostOfNamed} instead` };
  }
  if (!directory.hosts.has(named) && directory.declared?.has(named)) {
    return { field, value: named, message: `names an environment whose own file has problems (reported with it): this tenant is checked against its host once the host's file is valid` };
  }
  if (!directory.hosts.has(named)) {
    const hosts = [...directory.hosts.keys()].filter((name) => name !== env.name).sort();
    return { field, value: named, message: `names no environment of the config folder; allowed: an environment that hosts its cluster (${hosts.join(", ") || "none"})` };
  }
  return undefined;
}

/**
 * Checks of the tenants against their hosts and each other: the same account and region (a
 * cluster's pods reach only its own account's and region's resources through its roles, subnets
 * and endpoints), a production host for a production tenant (every production check is then the
 * host's), and namespaces no two environments of one cluster share.
 */
export function tenancyProblems(envs: readonly EnvironmentConfig[]): Array<FieldProblem & { readonly environment: string }> {
  const problems: Array<FieldProblem & { readonly environment: string }> = [];
  const byName = new Map(envs.map((env) => [env.name, env]));
  const namespaceOwners = new Map<string, string>();
  // The hosts' own namespaces first: a host's services keep theirs, a tenant is told to move.
  for (const host of envs.filter(hostsCluster)) {
    if (Object.keys(host.services).length > 0) namespaceOwners.set(`${host.name}/${appNamespace(host)}`, host.name);
  }
  for (const host of envs.filter((env) => hostsCluster(env) && tenantsOf(env).length > 0)) {
    const unused = unusedZoneProblem(host);
    if (unused) problems.push({ ...unused, environment: host.name });
  }
  for (const tenant of envs.filter((env) => !hostsCluster(env))) {
    const host = byName.get(clusterEnvironment(tenant));
    if (!host) continue;
    const at = (field: string, value: unknown, message: string) => problems.push({ environment: tenant.name, field, value, message });
    if (host.account.id !== tenant.account.id) {
      at("account.id", tenant.account.id, `differs from ${host.name}'s (${host.account.id}), whose cluster this environment runs in: a cluster's roles, subnets and endpoints are its own account's; allowed: "${host.account.id}", or a cluster of its own`);
    }
    if (host.account.region !== tenant.account.region) {
      at("account.region", tenant.account.region, `differs from ${host.name}'s (${host.account.region}), whose cluster this environment runs in: a cluster reaches its own region's databases, brokers and secrets only; allowed: ${host.account.region}, or a cluster of its own`);
    }
    for (const [name, service] of Object.entries(tenant.services)) {
      if (service.scaling.kafkaLag !== undefined) {
        at(serviceField(tenant, name, "scaling.kafkaLag"), service.scaling.kafkaLag.topic, `scales on Kafka lag, which KEDA reads as its host's role (${host.name}-keda): a tenant's apply role may change no role of its host, so it cannot grant it the lag of its topics; scale this service on CPU (hpa), or run the environment in a cluster of its own`);
      }
    }
    if (tenant.production && !host.production) {
      at("production", tenant.production, `is true, but ${host.name}, whose cluster this environment runs in, is not production: a production environment's cluster gets every production check (NAT per zone, deletion protection, paging); set production: true on ${host.name}, or run this one in a production host`);
    }
    // EKS keeps one access entry per principal: a person is a host's admin or viewer, or one tenant's editor or viewer.
    const taken = new Map<string, string>([...host.eks.admins.map((arn) => [arn, `${host.name}'s eks.admins`] as const), ...host.eks.viewers.map((arn) => [arn, `${host.name}'s eks.viewers`] as const)]);
    for (const other of envs.filter((e) => e !== tenant && !hostsCluster(e) && clusterEnvironment(e) === host.name)) {
      for (const [field, arns] of [["editors", other.cluster?.editors ?? []], ["viewers", other.cluster?.viewers ?? []]] as const) for (const arn of arns) if (!taken.has(arn)) taken.set(arn, `${other.name}'s cluster.${field}`);
    }
    for (const [field, arns] of [["editors", tenant.cluster?.editors ?? []], ["viewers", tenant.cluster?.viewers ?? []]] as const) {
      arns.forEach((arn, i) => {
        const owner = taken.get(arn);
        if (owner && !owner.startsWith(`${tenant.name}'s`)) at(`cluster.${field}.${i}`, arn, `is also in ${owner}: EKS keeps one access entry per principal in ${host.name}'s cluster, so it could not have both; give each environment's people roles of their own`);
      });
    }
    const namespace = appNamespace(tenant);
    const key = `${host.name}/${namespace}`;
    const owner = namespaceOwners.get(key);
    if (owner !== undefined) {
      const first = Object.keys(tenant.services)[0];
      at(first === undefined ? "cluster.environment" : serviceField(tenant, first, "namespace"), first === undefined ? tenant.cluster?.environment : namespace, `is also ${owner}'s namespace in ${host.name}'s cluster: each environment of a cluster has a namespace of its own, whose quota, policies, secret store and access are its own; give this one another (the default is the environment's name)`);
    } else {
      namespaceOwners.set(key, tenant.name);
    }
  }
  return problems;
}

/**
 * Whether the cluster host's platform makes an environment's talksTo NetworkPolicies instead of
 * its services' charts: a tenant's, whose deployers may write no NetworkPolicy (k8s/member-namespace.ts).
 */
export function platformMakesCallerPolicies(env: Pick<ParsedEnvironment, "cluster">): boolean {
  return !hostsCluster(env);
}

/** The services of an environment that call a service (config talksTo). */
export function callersOf(env: Pick<ParsedEnvironment, "services">, service: string): string[] {
  return Object.entries(env.services).filter(([, caller]) => caller.talksTo.includes(service)).map(([caller]) => caller);
}

/**
 * The DNS records a tenant's apply role may write in its host's zone: its certificates'
 * validation records (`_<token>.<host>`, ACM's), as Route 53 normalizes them (lowercase, no
 * trailing dot). Route 53 authorizes record changes by their names, not by tags, so this is
 * what keeps a tenant off its host's and fellow tenants' records. Undefined for a cluster host,
 * whose zone is its own.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
 */
export function tenantRecordPatterns(env: ParsedEnvironment): string[] | undefined {
  if (hostsCluster(env)) return undefined;
  return [...new Set(routedServices(env).map(([, service]) => `_*.${service.ingress.host.toLowerCase()}`))].sort();
}
