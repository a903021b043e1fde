import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

/** DNS, to CoreDNS (which runs with the nodes' group: the cluster security group). */
const DNS_PORT = 53;
/** HTTPS, to the interface VPC endpoints (STS, ECR, Secrets Manager, …). */
const HTTPS_PORT = 443;

/** One service whose pods get a security group of their own. */
export interface PodSecurityGroupService {
  /** The environment it belongs to: part of the group's name and key (a tenant's, or the cluster host's own). */
  readonly environment: string;
  /** The service's name. */
  readonly service: string;
  /**
   * Its HTTP port: Prometheus and the platform's pods (which have no group of their own) reach it
   * from the cluster security group, its callers from their own groups.
   * @default - none: a worker, which nothing calls
   */
  readonly port?: number;
  /**
   * The services of the same environment it calls (config `talksTo`): it may send to their groups
   * on their ports, and each admits it on theirs.
   * @default - none
   */
  readonly talksTo?: readonly string[];
  /**
   * The data stores' client ports it reaches in the data subnets: PostgreSQL's with a database
   * user, Kafka's when it produces or consumes. The stores' own groups decide which pods they
   * admit: that is what keeps one environment's pods out of another's database.
   * @default - none
   */
  readonly dataPorts?: readonly number[];
}

/** Props of {@link PodSecurityGroups}. */
export interface PodSecurityGroupsProps {
  readonly vpcId: string;
  /** The cluster's name: each group is tagged `kubernetes.io/cluster/<name>: shared`. */
  readonly clusterName: string;
  /** The cluster security group (nodes, CoreDNS, Prometheus, the OpenTelemetry Collector and every pod without a group). */
  readonly clusterSecurityGroupId: string;
  /** The interface VPC endpoints' group, which admits 443 from the VPC. */
  readonly endpointSecurityGroupId: string;
  /**
   * The private subnets' CIDRs by zone, where nodes are and where the pods' branch interfaces take
   * their addresses: the cluster security group admits DNS (and OTLP) from them, a fixed number
   * of rules however many services there are (a group has 60 inbound rules by default).
   */
  readonly podCidrs: Readonly<Record<string, string>>;
  /** The data subnets' CIDRs by zone (PostgreSQL and MSK). */
  readonly dataCidrs: Readonly<Record<string, string>>;
  /**
   * The OpenTelemetry Collector's OTLP ports, where tracing is on: the collector runs with the
   * cluster security group.
   * @default - none: no tracing
   */
  readonly otlpPorts?: readonly number[];
  /** The services, of every environment whose services run in the cluster. */
  readonly services: readonly PodSecurityGroupService[];
}

/** A service's group's name, `<env>-<service>-pods` (unique in the VPC: environments of a cluster have distinct names). */
export function podSecurityGroupName(environment: string, service: string): string {
  return `${environment}-${service}-pods`;
}

/**
 * A security group per service, for its pods alone (security groups for pods: the VPC CNI gives
 * each pod a branch network interface with the groups its SecurityGroupPolicy names, which the
 * platform's release makes). With it, a database or broker admits exactly the services that use
 * it, rather than the node group every pod of the cluster shares.
 *
 * Rules, for the VPC CNI's `standard` enforcing mode (modules/eks/addons.ts), where a pod's group
 * filters its traffic with other hosts of the VPC only: traffic on its own node (kubelet's probes,
 * a CoreDNS replica there) and traffic leaving the VPC, SNATed to the node's primary interface,
 * are the node's (amazon-vpc-cni-k8s README, `POD_SECURITY_GROUP_ENFORCING_MODE`).
 * - In: its port from the cluster security group (Prometheus, the platform's pods) and from its
 *   callers' groups. The ALB's rules are the AWS Load Balancer Controller's: it adds its backend
 *   group's on the target port to the only group of a target's interface, and removes them
 *   (aws-load-balancer-controller pkg/targetgroupbinding/networking_manager.go). Terraform
 *   declares no inline rules, so it never revokes them.
 * - Out: DNS to the cluster security group, 443 to the endpoints' group, its callees' groups on
 *   their ports, its data stores' ports to the data subnets, OTLP to the cluster security group.
 *   Nothing to the internet: that leaves through the node (NAT), under the node's group and the
 *   namespace's NetworkPolicies.
 * - The cluster security group admits DNS (and OTLP) from the private subnets, where the pods'
 *   interfaces are: by default it admits only itself.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html
 */
export class PodSecurityGroups extends Construct {
  /** Each service's group, by `<env>/<service>`. */
  readonly groups: Readonly<Record<string, SecurityGroup>>;

  constructor(scope: Construct, id: string, props: PodSecurityGroupsProps) {
    super(scope, id);
    const key = (environment: string, service: string) => `${environment}/${service}`;
    const byKey = new Map(props.services.map((s) => [key(s.environment, s.service), s]));
    if (byKey.size !== props.services.length) throw new Error(`${this.node.path}: a service is listed twice (${props.services.map((s) => key(s.environment, s.service)).join(", ")})`);
    const groups: Record<string, SecurityGroup> = {};
    for (const s of props.services) {
      const name = podSecurityGroupName(s.environment, s.service);
      // EC2 refuses group names that start with sg- (CreateSecurityGroup, GroupName).
      if (name.startsWith("sg-")) throw new Error(`${this.node.path}: ${name} starts with sg-, which EC2 refuses in a group's name`);
      groups[key(s.environment, s.service)] = new SecurityGroup(new Construct(this, `${s.environment}-${s.service}`), "Default", {
        name,
        description: `${name}: the pods of ${s.service} in ${s.environment} (security groups for pods); the load balancer controller adds the ALB's rules`,
        vpcId: props.vpcId,
        // The controller needs the tag only where an interface has several groups; `shared`, never
        // `owned`, which tells tools they may delete the group.
        tags: { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" },
      });
    }
    this.groups = groups;

    for (const s of props.services) {
      const group = groups[key(s.environment, s.service)] as SecurityGroup;
      const scope = group.node.scope as Construct;
      const rule = (direction: "in" | "out", ruleId: string, description: string, peer: { cidrIpv4: string } | { referencedSecurityGroupId: string }, port: number, protocol = "tcp") => {
        const config = { securityGroupId: group.id, description, ...peer, ipProtocol: protocol, fromPort: port, toPort: port };
        return direction === "in" ? new VpcSecurityGroupIngressRule(scope, ruleId, config) : new VpcSecurityGroupEgressRule(scope, ruleId, config);
      };
      const cluster = { referencedSecurityGroupId: props.clusterSecurityGroupId };
      if (s.port !== undefined) {
        rule("in", "from-cluster", `Port ${s.port} from the pods without a group of their own (Prometheus, the platform) and the nodes`, cluster, s.port);
        for (const caller of props.services.filter((c) => c.environment === s.environment && (c.talksTo ?? []).includes(s.service))) {
          rule("in", `from-${caller.service}-pods`, `Port ${s.port} from ${caller.service}, which calls it`, { referencedSecurityGroupId: (groups[key(caller.environment, caller.service)] as SecurityGroup).id }, s.port);
        }
      }
      rule("out", "dns-udp", "DNS (UDP) to CoreDNS", cluster, DNS_PORT, "udp");
      rule("out", "dns-tcp", "DNS (TCP) to CoreDNS", cluster, DNS_PORT);
      rule("out", "to-endpoints", "HTTPS to the interface VPC endpoints (STS, ECR, Secrets Manager, ...)", { referencedSecurityGroupId: props.endpointSecurityGroupId }, HTTPS_PORT);
      for (const callee of s.talksTo ?? []) {
        const target = byKey.get(key(s.environment, callee));
        if (target?.port === undefined) throw new Error(`${this.node.path}: ${key(s.environment, s.service)} talks to ${callee}, which is no service with a port of ${s.environment}`);
        rule("out", `to-${callee}-pods`, `Port ${target.port} to ${callee}, which it calls`, { referencedSecurityGroupId: (groups[key(s.environment, callee)] as SecurityGroup).id }, target.port);
      }
      for (const port of [...new Set(s.dataPorts ?? [])].sort((a, b) => a - b)) {
        for (const [zone, cidr] of Object.entries(props.dataCidrs)) rule("out", `to-data-${port}-${zone}`, `Port ${port} to the data subnet of ${zone} (its data store admits this group alone)`, { cidrIpv4: cidr }, port);
      }
      for (const port of props.otlpPorts ?? []) rule("out", `otlp-${port}`, `OTLP (${port}) to the OpenTelemetry Collector`, cluster, port);
    }

    // The other side: CoreDNS and the collector run with the cluster security group.
    if (props.services.length === 0) return;
    for (const [zone, cidr] of Object.entries(props.podCidrs)) {
      const admit = (ruleId: string, description: string, port: number, protocol = "tcp") =>
        new VpcSecurityGroupIngressRule(this, ruleId, { securityGroupId: props.clusterSecurityGroupId, description, cidrIpv4: cidr, ipProtocol: protocol, fromPort: port, toPort: port });
      admit(`cluster-dns-udp-${zone}`, `DNS (UDP) to CoreDNS from the pods with groups of their own in ${zone}`, DNS_PORT, "udp");
      admit(`cluster-dns-tcp-${zone}`, `DNS (TCP) to CoreDNS from the pods with groups of their own in ${zone}`, DNS_PORT);
      for (const port of props.otlpPorts ?? []) admit(`cluster-otlp-${port}-${zone}`, `OTLP (${port}) to the OpenTelemetry Collector from the pods with groups of their own in ${zone}`, port);
    }
  }

  /** Each service's group id, by `<env>/<service>`: the eks contract's `pod_security_groups`. */
  get ids(): Readonly<Record<string, string>> {
    return Object.fromEntries(Object.entries(this.groups).map(([k, g]) => [k, g.id]));
  }
}
