import { IPv4, IPv4CidrRange, IPv4Prefix, Validator } from "ip-num";

/** Smallest VPC a platform fits in, and the largest one AWS allows. */
export const VPC_PREFIX = { min: 16, max: 24 } as const;

/** AWS subnets must be between /16 and /28. */
export const SUBNET_PREFIX = { min: 16, max: 28 } as const;

/**
 * Why a string is not a usable IPv4 CIDR block, or undefined when it is one.
 * "10.0.1.0/16" is rejected: host bits set usually means a typo, not intent.
 */
export function cidrProblem(value: string): string | undefined {
  const [valid] = Validator.isValidIPv4CidrNotation(value);
  if (!valid) return "is not an IPv4 CIDR block such as 10.20.0.0/16";
  const [aligned] = Validator.isValidIPv4CidrRange(value);
  if (!aligned) return `has host bits set; the block starting there is ${IPv4CidrRange.fromCidr(value).getFirst()}/${prefixOf(value)}`;
  return undefined;
}

/** The prefix length of a CIDR block ("10.0.0.0/16" → 16). */
export function prefixOf(cidr: string): number {
  return Number(cidr.split("/")[1]);
}

/** The private (RFC 1918) address ranges. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** Whether a block lies wholly inside private (RFC 1918) address space. */
export function isPrivateCidr(cidr: string): boolean {
  const block = IPv4CidrRange.fromCidr(cidr);
  return PRIVATE_RANGES.some((range) => block.inside(IPv4CidrRange.fromCidr(range)) || block.isEquals(IPv4CidrRange.fromCidr(range)));
}

/** Whether two CIDR blocks share any address. */
export function overlaps(a: string, b: string): boolean {
  return IPv4CidrRange.fromCidr(a).isOverlapping(IPv4CidrRange.fromCidr(b));
}

/** Number of addresses in a block of the given prefix length. */
export function blockSize(prefix: number): bigint {
  return 2n ** BigInt(32 - prefix);
}

/** The CIDR block of the given prefix that starts at `start` (an address as a number). */
export function blockAt(start: bigint, prefix: number): string {
  return new IPv4CidrRange(IPv4.fromNumber(start), IPv4Prefix.fromNumber(BigInt(prefix))).toCidrString();
}

/** First address and size of a CIDR block, as numbers. */
export function bounds(cidr: string): { first: bigint; size: bigint } {
  const range = IPv4CidrRange.fromCidr(cidr);
  return { first: range.getFirst().getValue(), size: range.getSize() };
}
