import { type TerraformStack } from "cdktf";
import { type BackendSettings, type EnvironmentConfig, permissionsBoundaryName, planSubnets, type SubnetPlan } from "../../config";
import { PermissionsBoundary } from "../../modules/iam/permissions-boundary";
import { StackContract } from "./contract";

/** The outputs `<env>-network` publishes (`terraform output` in its stack shows them). */
export const NETWORK_CONTRACT = new StackContract("network", {
  vpc_id: { kind: "string", description: "The VPC's id", mock: "vpc-0123456789abcdef0" },
  public_subnet_ids: { kind: "string-list", description: "Public subnet ids, in the order of availability_zones", mock: "subnet-0123456789abcdef0" },
  private_subnet_ids: { kind: "string-list", description: "Private subnet ids (nodes, pods), in the order of availability_zones", mock: "subnet-0123456789abcdef1" },
  data_subnet_ids: { kind: "string-list", description: "Data subnet ids (RDS, MSK), in the order of availability_zones", mock: "subnet-0123456789abcdef2" },
  availability_zones: { kind: "string-list", description: "Availability zones in use, in the region's order" },
  vpc_endpoint_security_group_id: { kind: "string", description: "Security group of the interface VPC endpoints", mock: "sg-0123456789abcdef0" },
});

/** What later stacks (EKS, database, streaming) know of the network. */
export interface NetworkOutputs {
  /** The VPC's id (from the network stack's state). */
  readonly vpcId: string;
  /** Subnet ids per tier, in the order of {@link availabilityZones} (from the network stack's state). */
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
 * The network of an environment as a consumer stack sees it: ids from the network stack's
 * remote state, everything config decides as literals.
 */
export function networkFromRemoteState(stack: TerraformStack, backend: BackendSettings, env: EnvironmentConfig): NetworkOutputs {
  const remote = NETWORK_CONTRACT.read(stack, backend, env);
  return {
    ...networkFacts(env),
    vpcId: remote.vpc_id,
    subnetIds: { public: remote.public_subnet_ids, private: remote.private_subnet_ids, data: remote.data_subnet_ids },
    endpointSecurityGroupId: remote.vpc_endpoint_security_group_id,
  };
}
