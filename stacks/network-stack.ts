import { TerraformOutput } from "cdktf";
import { type Construct } from "constructs";
import { clusterName, permissionsBoundaryName, planSubnets } from "../config";
import { PermissionsBoundary } from "../modules/iam/permissions-boundary";
import { Network } from "../modules/network/network";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/** What later stacks (EKS, database, streaming) need from the network. */
export interface NetworkOutputs {
  /** The VPC's id. */
  readonly vpcId: string;
  /** The VPC's IPv4 block (known at synth time). */
  readonly vpcCidr: string;
  /** Availability zones in use, in the region's order. */
  readonly availabilityZones: readonly string[];
  /** Subnet ids per tier, keyed by availability zone. */
  readonly subnetIds: Network["subnetIds"];
  /** ARN of the environment's permissions boundary, which every role of later stacks must carry (a literal: no cross-stack reference needed). */
  readonly permissionsBoundaryArn: string;
  /** Subnet CIDRs per tier, keyed by availability zone (known at synth time). */
  readonly subnetCidrs: Readonly<Record<keyof Network["subnetIds"], Readonly<Record<string, string>>>>;
}

/** `<env>-network`: the VPC and everything in it that has no workload of its own. */
export class NetworkStack extends EnvironmentStack {
  /** Typed outputs for the stacks that build on the network. */
  readonly outputs: NetworkOutputs;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "network", props);
    const { network, account } = props.env;
    const plan = planSubnets({ vpcCidr: network.vpcCidr, region: account.region, azCount: network.azCount, prefixLength: network.subnetPrefixLength });
    // Config validation already rejected plans that do not fit; this guards direct construction.
    if (!plan.fits) throw new Error(`${props.env.name}: network.subnetPrefixLength does not fit in ${network.vpcCidr}`);

    // The network stack is the first of an environment, so it owns the boundary every later
    // stack's roles use (by its ARN, which is known at synth time).
    const boundaryName = permissionsBoundaryName(props.env);
    const boundary = new PermissionsBoundary(this, "permissions-boundary", { name: boundaryName, accountId: account.id });
    const net = new Network(this, "network", {
      name: props.env.name,
      accountId: account.id,
      region: account.region,
      vpcCidr: network.vpcCidr,
      subnets: plan.subnets,
      natMode: network.natMode,
      clusterName: clusterName(props.env),
      flowLogRetentionDays: network.flowLogRetentionDays,
      permissionsBoundaryArn: boundary.arn,
    });
    this.outputs = {
      vpcId: net.vpc.id,
      vpcCidr: network.vpcCidr,
      availabilityZones: Object.keys(plan.subnets.private),
      subnetIds: net.subnetIds,
      subnetCidrs: plan.subnets,
      permissionsBoundaryArn: PermissionsBoundary.arnFor(account.id, boundaryName),
    };
    new TerraformOutput(this, "vpc_id", { value: net.vpc.id, description: "The VPC's id" });
    for (const tier of ["public", "private", "data"] as const) {
      new TerraformOutput(this, `${tier}_subnet_ids`, { value: net.subnetIds[tier], description: `${tier} subnet id per availability zone` });
    }
  }
}
