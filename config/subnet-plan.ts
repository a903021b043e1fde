import { blockAt, blockSize, bounds, prefixOf } from "./cidr";
import { availabilityZones, type Region } from "./regions";

/**
 * Slots each tier reserves: the most zones an environment may ever use (the schema's maximum
 * `azCount`), whatever its region lists today. A subnet's CIDR then depends only on the VPC
 * CIDR, the prefix lengths and the zone's position, so adding a zone to a region's list in
 * regions.ts, or to `azCount`, never moves (and so never replaces) a subnet.
 */
export const MAX_ZONES = 6;

/** The three subnet tiers: load balancers and NAT; nodes and pods; RDS and MSK. */
export const TIERS = ["public", "private", "data"] as const;
export type Tier = (typeof TIERS)[number];

/**
 * Tiers are laid out in this order: the usually largest (private) first, so that every block
 * lands aligned without gaps. Changing this order renumbers every subnet; never do it.
 */
const LAYOUT_ORDER: readonly Tier[] = ["private", "public", "data"];

/** Subnet CIDR per tier, keyed by availability zone name. */
export type SubnetPlan = Record<Tier, Record<string, string>>;

/** Inputs of the plan: everything that decides where a subnet goes. */
export interface SubnetPlanInput {
  /** The VPC block to carve subnets from. */
  readonly vpcCidr: string;
  /** The region: its zone list fixes each zone's slot. */
  readonly region: Region;
  /** Zones to create subnets in (the first `azCount` of the region's list). */
  readonly azCount: number;
  /** Prefix length of each tier's subnets. */
  readonly prefixLength: Readonly<Record<Tier, number>>;
}

/** Result of planning: the subnets, or how many addresses they would need. */
export type SubnetPlanResult =
  | { readonly fits: true; readonly subnets: SubnetPlan }
  | { readonly fits: false; readonly needed: bigint; readonly available: bigint };

/**
 * Computes the subnets of every tier from the VPC CIDR.
 *
 * Each tier reserves {@link MAX_ZONES} slots, not just the configured zones, and a zone always
 * takes the slot of its position in the region's zone list. So raising `azCount`, or a region
 * gaining a zone, adds subnets without renumbering (and so without replacing) any existing one.
 */
export function planSubnets(input: SubnetPlanInput): SubnetPlanResult {
  const zones = availabilityZones(input.region);
  const vpc = bounds(input.vpcCidr);
  const subnets: SubnetPlan = { public: {}, private: {}, data: {} };
  let cursor = vpc.first;
  for (const tier of LAYOUT_ORDER) {
    const prefix = input.prefixLength[tier];
    const size = blockSize(prefix);
    const tierStart = alignUp(cursor - vpc.first, size) + vpc.first;
    zones.slice(0, input.azCount).forEach((zone, slot) => {
      subnets[tier][zone] = blockAt(tierStart + BigInt(slot) * size, prefix);
    });
    cursor = tierStart + BigInt(MAX_ZONES) * size;
  }
  const needed = cursor - vpc.first;
  const fitsPrefixes = TIERS.every((tier) => input.prefixLength[tier] >= prefixOf(input.vpcCidr));
  return needed <= vpc.size && fitsPrefixes ? { fits: true, subnets } : { fits: false, needed, available: vpc.size };
}

function alignUp(offset: bigint, size: bigint): bigint {
  return ((offset + size - 1n) / size) * size;
}
