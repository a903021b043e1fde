import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Construct } from "constructs";

/** Props of {@link SubnetTier}. */
export interface SubnetTierProps {
  /** VPC to create the subnets in. */
  readonly vpcId: string;
  /** Prefix of each subnet's Name tag, e.g. `prod-private`. */
  readonly namePrefix: string;
  /** Subnet CIDR per availability zone name. */
  readonly cidrs: Readonly<Record<string, string>>;
  /**
   * Tags on every subnet of the tier (EKS and Karpenter discovery tags).
   * @default - only the Name tag
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * One tier of subnets, one per availability zone. Construct ids are the zone names, so adding a
 * zone adds a subnet and never moves another one.
 *
 * No subnet maps public IPs on launch, not even public ones: load balancers and NAT gateways get
 * their addresses explicitly, and nothing else should have one.
 */
export class SubnetTier extends Construct {
  /** Subnet id per availability zone. */
  readonly subnetIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: SubnetTierProps) {
    super(scope, id);
    const ids: Record<string, string> = {};
    for (const [zone, cidrBlock] of Object.entries(props.cidrs)) {
      const subnet = new Subnet(this, zone, {
        vpcId: props.vpcId,
        availabilityZone: zone,
        cidrBlock,
        mapPublicIpOnLaunch: false,
        tags: { Name: subnetName(props.namePrefix, zone), ...props.tags },
      });
      ids[zone] = subnet.id;
    }
    this.subnetIds = ids;
  }
}

/**
 * A subnet's Name tag: `<prefix>-<zone>` (the network names its tiers' prefixes `<network>-<tier>`).
 * Part of the interface: the internal ALB is placed in the public subnets by these names.
 */
export function subnetName(namePrefix: string, zone: string): string {
  return `${namePrefix}-${zone}`;
}
