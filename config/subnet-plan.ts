import { blockAt, blockSize, bounds, prefixOf } from "./cidr";
import { availabilityZones, type Region } from "./regions";

/**
 * Slots each tier reserves: the most zones an environment may ever use (the schema's maximum
 * `azCount`), whatever its region lists today. A subnet's CIDR then depends only on the VPC
 * CIDR, the prefix lengths and the zone's position, so adding a zone to a region's list in
 * regions.ts, or to `azCount`, never moves (and so never replaces) a subnet.
 */
export const MAX_ZONES = 6;

/** The three subnet tiers every environment has: load balancers and NAT; nodes and pods; RDS and MSK. */
export const TIERS = ["public", "private", "data"] as const;
export type Tier = (typeof TIERS)[number];

/** The optional tiers, present only where config sets their prefix: the EKS cluster's own network interfaces. */
export const OPTIONAL_TIERS = ["controlPlane"] as const;
export type OptionalTier = (typeof OPTIONAL_TIERS)[number];
/** Every tier, the optional ones included. */
export type AnyTier = Tier | OptionalTier;

/**
 * Tiers are laid out in this order: the usually largest (private) first, so that every block
 * lands aligned without gaps. Changing this order renumbers every subnet; never do it. A tier
 * added later goes at the end, after every existing tier's six slots, so that adding it (to the
 * code, or to an environment's config) never moves a subnet of the others.
 */
const LAYOUT_ORDER: readonly AnyTier[] = ["private", "public", "data", "controlPlane"];

/** Subnet CIDR per tier, keyed by availability zone name; an optional tier only when configured. */
export type SubnetPlan = Record<Tier, Record<string, string>> & Partial<Record<OptionalTier, Record<string, string>>>;

/** Prefix length of each tier's subnets; an optional tier's absent when it has none. */
export type TierPrefixLengths = Readonly<Record<Tier, number>> & Readonly<Partial<Record<OptionalTier, number>>>;

/** Inputs of the plan: everything that decides where a subnet goes. */
export interface SubnetPlanInput {
  /** The VPC block to carve subnets from. */
  readonly vpcCidr: string;
  /** The region: its zone list fixes each zone's slot. */
  readonly region: Region;
  /** Zones to create subnets in (the first `azCount` of the region's list). */
  readonly azCount: number;
  /** Prefix length of each tier's subnets (an optional tier without one has no subnets and reserves nothing). */
  readonly prefixLength: TierPrefixLengths;
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
  const tiers = plannedTiers(input.prefixLength);
  for (const tier of tiers) {
    const prefix = input.prefixLength[tier] as number;
    const size = blockSize(prefix);
    const tierStart = alignUp(cursor - vpc.first, size) + vpc.first;
    const cidrs: Record<string, string> = {};
    zones.slice(0, input.azCount).forEach((zone, slot) => {
      cidrs[zone] = blockAt(tierStart + BigInt(slot) * size, prefix);
    });
    subnets[tier] = cidrs;
    cursor = tierStart + BigInt(MAX_ZONES) * size;
  }
  const needed = cursor - vpc.first;
  const fitsPrefixes = tiers.every((tier) => (input.prefixLength[tier] as number) >= prefixOf(input.vpcCidr));
  return needed <= vpc.size && fitsPrefixes ? { fits: true, subnets } : { fits: false, needed, available: vpc.size };
}

/** The tiers that get subnets, in layout order: the three, and an optional one only with a prefix. */
function plannedTiers(prefixLength: TierPrefixLengths): AnyTier[] {
  return LAYOUT_ORDER.filter((tier) => prefixLength[tier] !== undefined);
}

function alignUp(offset: bigint, size: bigint): bigint {
  return ((offset + size - 1n) / size) * size;
}
