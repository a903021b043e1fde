import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { VpcFlowLogs } from "./flow-logs";
import { NatGateways } from "./nat-gateways";
import { SubnetTier } from "./subnet-tier";
import { VpcEndpoints } from "./vpc-endpoints";

/** Subnet tiers: public (load balancers, NAT), private (nodes, pods), data (RDS, MSK). */
export type SubnetTierName = "public" | "private" | "data";

/** Props of {@link Network}. */
export interface NetworkProps {
  /** Environment name; prefixes every Name tag. */
  readonly name: string;
  /** The environment's account, for ARNs and key policies. */
  readonly accountId: string;
  /** The region: endpoint service names and zone names depend on it. */
  readonly region: string;
  /** The VPC's IPv4 block. */
  readonly vpcCidr: string;
  /** Subnet CIDR per tier, keyed by availability zone (see config/subnet-plan.ts). */
  readonly subnets: Readonly<Record<SubnetTierName, Readonly<Record<string, string>>>>;
  /** `per-az` (one NAT gateway per zone) or `single`. */
  readonly natMode: "single" | "per-az";
  /** EKS cluster name, for the `karpenter.sh/discovery` tag on private subnets. */
  readonly clusterName: string;
  /** Days to keep VPC flow logs. */
  readonly flowLogRetentionDays: number;
  /** Permissions boundary for the roles this construct creates (the flow-log delivery role). */
  readonly permissionsBoundaryArn: string;
  /**
   * Interface endpoint services.
   * @default DEFAULT_INTERFACE_ENDPOINTS
   */
  readonly interfaceEndpoints?: readonly string[];
}

/**
 * A locked-down three-tier VPC: DNS on, the default security group emptied, public subnets
 * routed to an internet gateway, private subnets through NAT, data subnets with no route out,
 * flow logs, and VPC endpoints for S3, ECR, STS and CloudWatch Logs.
 */
export class Network extends Construct {
  /** The VPC. */
  readonly vpc: Vpc;
  /** Subnet id per tier, keyed by availability zone. */
  readonly subnetIds: Readonly<Record<SubnetTierName, Readonly<Record<string, string>>>>;
  /** Security group of the interface endpoints. */
  readonly endpointSecurityGroupId: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const name = props.name;
    this.vpc = new Vpc(this, "vpc", { cidrBlock: props.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: name } });
    const vpcId = this.vpc.id;

    // Taking over the default security group with no rules removes its allow-all rules, so
    // nothing launched without an explicit group can talk to anything.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId, tags: { Name: `${name}-default-unused` } });

    const tiers = {
      public: new SubnetTier(this, "public", { vpcId, namePrefix: `${name}-public`, cidrs: props.subnets.public, tags: { "kubernetes.io/role/elb": "1" } }),
      private: new SubnetTier(this, "private", {
        vpcId,
        namePrefix: `${name}-private`,
        cidrs: props.subnets.private,
        tags: { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": props.clusterName },
      }),
      data: new SubnetTier(this, "data", { vpcId, namePrefix: `${name}-data`, cidrs: props.subnets.data }),
    };
    this.subnetIds = { public: tiers.public.subnetIds, private: tiers.private.subnetIds, data: tiers.data.subnetIds };

    const igw = new InternetGateway(this, "internet-gateway", { vpcId, tags: { Name: name } });
    const nat = new NatGateways(this, "nat", { namePrefix: name, mode: props.natMode, publicSubnetIds: tiers.public.subnetIds, internetGateway: igw });

    const publicTable = this.routeTable("public", vpcId, `${name}-public`, tiers.public.subnetIds);
    new Route(this, "public-default-route", { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });

    const privateTables = Object.entries(tiers.private.subnetIds).map(([zone, subnetId]) => {
      const table = this.routeTable(`private-${zone}`, vpcId, `${name}-private-${zone}`, { [zone]: subnetId });
      new Route(this, `private-default-route-${zone}`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.gatewayFor(zone) });
      return table;
    });
    // Data subnets have no default route: databases and brokers never need the internet.
    const dataTable = this.routeTable("data", vpcId, `${name}-data`, tiers.data.subnetIds);

    const endpoints = new VpcEndpoints(this, "endpoints", {
      name,
      region: props.region,
      vpcId,
      vpcCidr: props.vpcCidr,
      subnetIds: Object.values(tiers.private.subnetIds),
      routeTableIds: [...privateTables.map((t) => t.id), dataTable.id],
      interfaceServices: props.interfaceEndpoints,
    });
    this.endpointSecurityGroupId = endpoints.securityGroup.id;

    new VpcFlowLogs(this, "flow-logs", {
      vpcId,
      name,
      accountId: props.accountId,
      region: props.region,
      retentionDays: props.flowLogRetentionDays,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
    });
  }

  private routeTable(id: string, vpcId: string, name: string, subnetIds: Readonly<Record<string, string>>): RouteTable {
    const table = new RouteTable(this, `route-table-${id}`, { vpcId, tags: { Name: name } });
    for (const [zone, subnetId] of Object.entries(subnetIds)) {
      new RouteTableAssociation(this, `route-table-${id}-${zone}`, { routeTableId: table.id, subnetId });
    }
    return table;
  }
}
