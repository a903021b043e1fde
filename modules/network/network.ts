import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { type EncryptionKey } from "../kms/encryption-key";
import { VpcFlowLogs } from "./flow-logs";
import { NatGateways } from "./nat-gateways";
import { SubnetTier } from "./subnet-tier";
import { VpcEndpoints } from "./vpc-endpoints";

/** Subnet tiers: public (load balancers, NAT), private (nodes, pods), data (RDS, MSK), and the optional controlPlane (the EKS cluster's network interfaces). */
export type SubnetTierName = "public" | "private" | "data" | "controlPlane";

/** Subnet CIDR per tier, keyed by availability zone; the control-plane tier is optional. */
export type TierCidrs = Readonly<Record<Exclude<SubnetTierName, "controlPlane">, Readonly<Record<string, string>>>> & { readonly controlPlane?: Readonly<Record<string, string>> };

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
  /**
   * Subnet CIDR per tier, keyed by availability zone (see config/subnet-plan.ts). The
   * control-plane tier, when given, is private and has no route out (see below).
   */
  readonly subnets: TierCidrs;
  /** `per-az` (one NAT gateway per zone) or `single`. */
  readonly natMode: "single" | "per-az";
  /**
   * Extra tags per tier, such as the load-balancer and Karpenter discovery tags that the EKS
   * layer's controllers look for. This module knows nothing of the layers that use the subnets.
   * @default - only the Name tags
   */
  readonly subnetTags?: Readonly<Partial<Record<SubnetTierName, Readonly<Record<string, string>>>>>;
  /**
   * Days to keep VPC flow logs: one of CloudWatch's periods.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /** Permissions boundary for the roles this construct creates (the flow-log delivery role). */
  readonly permissionsBoundaryArn: string;
  /**
   * The key that encrypts the flow-log group.
   * @default - a key of the flow logs' own
   */
  readonly flowLogEncryptionKey?: EncryptionKey;
  /**
   * Interface endpoint services.
   * @default DEFAULT_INTERFACE_ENDPOINTS
   */
  readonly interfaceEndpoints?: readonly string[];
}

/**
 * A locked-down three-tier VPC: DNS on, the default security group emptied, public subnets
 * routed to an internet gateway, private subnets through NAT, data subnets with no route out,
 * flow logs, and VPC endpoints for S3, ECR, STS and CloudWatch Logs. An optional fourth tier,
 * control-plane subnets for the EKS cluster's network interfaces, has no route out either.
 */
export class Network extends Construct {
  /** The VPC. */
  readonly vpc: Vpc;
  /** Subnet id per tier, keyed by availability zone (none in the control-plane tier when it is not given). */
  readonly subnetIds: Readonly<Record<SubnetTierName, Readonly<Record<string, string>>>>;
  /** Security group of the interface endpoints. */
  readonly endpointSecurityGroupId: string;
  /** The NAT gateways, by the zone each is in. */
  readonly natGatewayIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const name = props.name;
    this.vpc = new Vpc(this, "vpc", { cidrBlock: props.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: name } });
    const vpcId = this.vpc.id;

    // Taking over the default security group with no rules removes its allow-all rules, so
    // nothing launched without an explicit group can talk to anything.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId, tags: { Name: `${name}-default-unused` } });

    const tier = (t: SubnetTierName, id: string = t) => new SubnetTier(this, id, { vpcId, namePrefix: `${name}-${id}`, cidrs: props.subnets[t] ?? {}, tags: props.subnetTags?.[t] });
    const tiers = { public: tier("public"), private: tier("private"), data: tier("data") };
    const controlPlane = props.subnets.controlPlane ? tier("controlPlane", "control-plane") : undefined;
    this.subnetIds = { public: tiers.public.subnetIds, private: tiers.private.subnetIds, data: tiers.data.subnetIds, controlPlane: controlPlane?.subnetIds ?? {} };

    const igw = new InternetGateway(this, "internet-gateway", { vpcId, tags: { Name: name } });
    const nat = new NatGateways(this, "nat", { namePrefix: name, mode: props.natMode, publicSubnetIds: tiers.public.subnetIds, internetGateway: igw });
    this.natGatewayIds = nat.gatewayIds;

    // Addresses read as what they route: aws_route_table.network_routes-public,
    // aws_route.network_routes-private_eu-west-1a_default, ..._eu-west-1a_association.
    const publicTable = routeTable(this, "routes-public", vpcId, `${name}-public`, tiers.public.subnetIds);
    new Route(publicTable, "default", { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });

    const privateRoutes = new Construct(this, "routes-private");
    const privateTables = Object.entries(tiers.private.subnetIds).map(([zone, subnetId]) => {
      const table = new RouteTable(privateRoutes, zone, { vpcId, tags: { Name: `${name}-private-${zone}` } });
      new RouteTableAssociation(table, "association", { routeTableId: table.id, subnetId });
      new Route(table, "default", { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.gatewayFor(zone) });
      return table;
    });
    // Data subnets have no default route: databases and brokers never need the internet.
    const dataTable = routeTable(this, "routes-data", vpcId, `${name}-data`, tiers.data.subnetIds);
    // Control-plane subnets hold only the cluster's cross-account network interfaces, which carry
    // traffic between the control plane and the nodes inside the VPC (the local route). With the
    // default controlPlaneEgressMode (AWS_MANAGED) the API server's outbound calls do not leave
    // through them; only CUSTOMER_ROUTED, which this project never sets, would need a way out
    // (docs.aws.amazon.com/eks/latest/userguide/network-reqs.html). So: no default route, no
    // endpoint routes, as little exposure as the data tier.
    if (controlPlane) routeTable(this, "routes-control-plane", vpcId, `${name}-control-plane`, controlPlane.subnetIds);

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
      encryptionKey: props.flowLogEncryptionKey,
    });
  }
}

/** A route table shared by a tier's subnets, with one association per zone beneath it. */
function routeTable(scope: Construct, id: string, vpcId: string, name: string, subnetIds: Readonly<Record<string, string>>): RouteTable {
  const table = new RouteTable(scope, id, { vpcId, tags: { Name: name } });
  for (const [zone, subnetId] of Object.entries(subnetIds)) new RouteTableAssociation(table, zone, { routeTableId: table.id, subnetId });
  return table;
}
