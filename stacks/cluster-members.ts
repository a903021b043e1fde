import { appNamespace, callersOf, clusterMembers, platformMakesCallerPolicies, deployersGroup, type EnvironmentConfig, hostsCluster, priorityClassName, SECRET_STORE_ACCOUNT, secretStoreRoleName, serviceEntries, tenantsOf, tracingEnabled } from "../config";
import { MONITORING_CHART } from "../modules/addons/monitoring";
import { OTEL_COLLECTOR_CHART, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from "../modules/addons/otel-collector";
import { POSTGRES_PORT } from "../modules/database/database";
import { type MemberNamespaceProps } from "../k8s/member-namespace";
import { SECRET_STORE } from "../k8s/platform-objects";
import { networkFacts } from "./contracts/network";
import { kafkaClientPorts } from "./pod-security-group-services";

/**
 * The PriorityClass values: production's above every other environment's (and below the
 * system-* classes, 2e9, and the 1e9 ceiling of user classes), so a full cluster evicts a
 * development pod before a production one is left pending.
 */
export const PRIORITY = { production: 1_000_000, other: 1_000 } as const;

/**
 * The environments whose namespaces a cluster host's platform makes: its own (unless it is a
 * host of tenants with no services of its own), then each tenant's. Its own namespace stays
 * whenever it has no tenants, as it always has, so that no upgrade deletes it.
 */
export function namespaceMembers(host: EnvironmentConfig): readonly EnvironmentConfig[] {
  return clusterMembers(host).filter((member) => member !== host || Object.keys(host.services).length > 0 || tenantsOf(host).length === 0);
}

/** Each member's namespace, for the host's platform objects (k8s/member-namespace.ts). */
export function memberNamespaces(host: EnvironmentConfig): MemberNamespaceProps[] {
  const facts = networkFacts(host);
  const shared = tenantsOf(host).length > 0;
  return namespaceMembers(host).map((member) => ({
    environment: member.name,
    namespace: appNamespace(member),
    shared,
    monitoringNamespace: MONITORING_CHART.namespace,
    // Both ALBs are in the public subnets (the internal one by name: stacks/contracts/network.ts).
    loadBalancerCidrs: Object.values(facts.subnetCidrs.public),
    services: serviceEntries(member).map(([name, service]) => ({ name, port: service.port, exposure: service.exposure, ownChart: service.chart !== undefined, callers: callersOf(member, name) })),
    callerPolicies: platformMakesCallerPolicies(member),
    // The data stores' client ports only: the MSK exporters there are Prometheus's alone.
    dataEgress: {
      dataCidrs: Object.values(facts.subnetCidrs.data),
      ports: [...(member.database ? [POSTGRES_PORT] : []), ...kafkaClientPorts(member)],
    },
    vpcCidr: facts.vpcCidr,
    // The interface endpoints are in the private subnets (stacks/network-stack.ts).
    endpointCidrs: Object.values(facts.subnetCidrs.private),
    tracing: tracingEnabled(host) ? { namespace: OTEL_COLLECTOR_CHART.namespace, ports: [OTLP_HTTP_PORT, OTLP_GRPC_PORT] } : undefined,
    secretStore: { name: SECRET_STORE, serviceAccount: SECRET_STORE_ACCOUNT, region: member.account.region, roleArn: `arn:aws:iam::${member.account.id}:role/${secretStoreRoleName(member)}` },
    // Preemption only where environments share the nodes: alone, a production pod never evicts the platform's DaemonSets (priority 0).
    priorityClass: { name: priorityClassName(member), value: member.production ? PRIORITY.production : PRIORITY.other, preempts: member.production && shared },
    // The host's own principals have cluster scope; a tenant's get its namespace only (stacks/eks-stack.ts).
    deployersGroup: hostsCluster(member) ? undefined : deployersGroup(member),
  }));
}

/** The namespaces of a cluster's services, its own and its tenants': KEDA watches them, the collector receives from them. */
export function memberNamespaceNames(host: EnvironmentConfig): string[] {
  return namespaceMembers(host).map(appNamespace);
}
