import { type TerraformStack } from "cdktf";
import { type BackendSettings, type EnvironmentConfig, permissionsBoundaryName, planSubnets, type SubnetPlan } from "../../config";
import { PermissionsBoundary } from "../../modules/iam/permissions-boundary";
import { subnetName } from "../../modules/network/subnet-tier";
import { StackContract } from "./contract";

/**
 * The outputs `<env>-network` publishes (`terraform output` in its stack shows them). The tiers'
 * mocks differ before their last digit, which a list's index replaces: mocked subnets of two
 * tiers never look alike, so a plan that moves something between tiers shows it.
 */
export const NETWORK_CONTRACT = new StackContract("network", {
  vpc_id: { kind: "string", description: "The VPC's id", mock: "vpc-0123456789abcdef0" },
  public_subnet_ids: { kind: "string-list", description: "Public subnet ids, in the order of availability_zones", mock: "subnet-0123456789abc100" },
  private_subnet_ids: { kind: "string-list", description: "Private subnet ids (nodes, pods), in the order of availability_zones", mock: "subnet-0123456789abc200" },
  data_subnet_ids: { kind: "string-list", description: "Data subnet ids (RDS, MSK), in the order of availability_zones", mock: "subnet-0123456789abc300" },
  control_plane_subnet_ids: {
    kind: "string-list",
    description: "Control-plane subnet ids (the EKS cluster's network interfaces), in the order of availability_zones; empty without network.subnetPrefixLength.controlPlane",
    mock: "subnet-0123456789abc400",
  },
  availability_zones: { kind: "string-list", description: "Availability zones in use, in the region's order" },
  vpc_endpoint_security_group_id: { kind: "string", description: "Security group of the interface VPC endpoints", mock: "sg-0123456789abcdef0" },
  alert_topic_key_arn: {
    kind: "string",
    description: "ARN of the key that encrypts the alert topic (<env>-alerts): a publisher other than CloudWatch needs kms:GenerateDataKey* and kms:Decrypt on it",
    mock: "arn:aws:kms:{region}:{account}:key/00000000-0000-0000-0000-0000000a1e27",
  },
});

/** What later stacks (EKS, database, streaming) know of the network. */
export interface NetworkOutputs {
  /** The VPC's id (from the network stack's state). */
  readonly vpcId: string;
  /**
   * Subnet ids per tier, in the order of {@link availabilityZones} (from the network stack's
   * state); `controlPlane` is empty, a literal, when config gives the tier no prefix.
   */
  readonly subnetIds: Readonly<Record<keyof SubnetPlan, readonly string[]>>;
  /** Security group of the interface endpoints (from the network stack's state). */
  readonly endpointSecurityGroupId: string;
  /** The VPC's IPv4 block (from config). */
  readonly vpcCidr: string;
  /** Availability zones in use, in the region's order (from config). */
  readonly availabilityZones: readonly string[];
  /** Subnet CIDRs per tier, keyed by availability zone (from config). */
  readonly subnetCidrs: SubnetPlan;
  /** ARN of the environment's permissions boundary, which every role must carry (from config). */
  readonly permissionsBoundaryArn: string;
}

/** The parts of {@link NetworkOutputs} that config decides: literals on both sides, no remote state needed. */
export function networkFacts(env: EnvironmentConfig): Pick<NetworkOutputs, "vpcCidr" | "availabilityZones" | "subnetCidrs" | "permissionsBoundaryArn"> {
  const { network, account } = env;
  const plan = planSubnets({ vpcCidr: network.vpcCidr, azCount: network.azCount, region: account.region, prefixLength: network.subnetPrefixLength });
  // Config validation already rejected plans that do not fit; this guards direct construction.
  if (!plan.fits) throw new Error(`${env.name}: network.subnetPrefixLength does not fit in ${network.vpcCidr}`);
  return {
    vpcCidr: network.vpcCidr,
    availabilityZones: Object.keys(plan.subnets.private),
    subnetCidrs: plan.subnets,
    permissionsBoundaryArn: PermissionsBoundary.arnFor(account.id, permissionsBoundaryName(env)),
  };
}

/**
 * The subnets of the EKS cluster's network interfaces: the control-plane tier where config has
 * one, the private subnets otherwise (nodes stay in the private subnets either way).
 */
export function clusterSubnetIds(network: Pick<NetworkOutputs, "subnetCidrs" | "subnetIds">): readonly string[] {
  return network.subnetCidrs.controlPlane ? network.subnetIds.controlPlane : network.subnetIds.private;
}

/**
 * The Name tags of an environment's public subnets (`<env>-public-<zone>`), known from config.
 * Internal ALBs are placed there by name: pods take their addresses from the private subnets
 * (the VPC CNI), so a NetworkPolicy admitting the ALB's subnets by CIDR admits no pod; an
 * internal ALB in the private subnets would have to admit every pod of the cluster. An internal
 * ALB has no public address wherever it is (Elastic Load Balancing, "Load balancer scheme").
 */
export function publicSubnetNames(env: EnvironmentConfig): string[] {
  return networkFacts(env).availabilityZones.map((zone) => subnetName(`${env.name}-public`, zone));
}

/**
 * The network of an environment as a consumer stack sees it: ids from the network stack's
 * remote state, everything config decides as literals.
 */
export function networkFromRemoteState(stack: TerraformStack, backend: BackendSettings, env: EnvironmentConfig): NetworkOutputs {
  const remote = NETWORK_CONTRACT.read(stack, backend, env);
  const facts = networkFacts(env);
  return {
    ...facts,
    vpcId: remote.vpc_id,
    // Read only where config has the tier, so a consumer never names an output that a network
    // state applied before the tier existed lacks.
    subnetIds: { public: remote.public_subnet_ids, private: remote.private_subnet_ids, data: remote.data_subnet_ids, controlPlane: facts.subnetCidrs.controlPlane ? remote.control_plane_subnet_ids : [] },
    endpointSecurityGroupId: remote.vpc_endpoint_security_group_id,
  };
}
