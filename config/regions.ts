/**
 * AWS commercial regions this project can deploy to, with the availability zones an EKS platform
 * can use in each.
 *
 * AZ letters are mapped per account, but these are the zones every account gets. Where a zone is
 * left out, the comment says why. The list is data, not a call to the EC2 API, so that synth needs
 * no credentials and the subnet plan is known before anything is written.
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
const ZONE_LETTERS = {
  // us-east-1e is a legacy zone without current instance types; EKS rejects control-plane
  // subnets there (UnsupportedAvailabilityZoneException).
  "us-east-1": "abcdf",
  "us-east-2": "abc",
  // New accounts get two zones in N. California; which letters depends on the account.
  "us-west-1": "ab",
  "us-west-2": "abcd",
  "ca-central-1": "abd",
  "ca-west-1": "abc",
  "sa-east-1": "abc",
  "mx-central-1": "abc",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "eu-central-1": "abc",
  "eu-central-2": "abc",
  "eu-north-1": "abc",
  "eu-south-1": "abc",
  "eu-south-2": "abc",
  "il-central-1": "abc",
  "me-south-1": "abc",
  "me-central-1": "abc",
  "af-south-1": "abc",
  "ap-east-1": "abc",
  "ap-east-2": "abc",
  "ap-south-1": "abc",
  "ap-south-2": "abc",
  // ap-northeast-1b is closed to new accounts.
  "ap-northeast-1": "acd",
  "ap-northeast-2": "abcd",
  "ap-northeast-3": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "ap-southeast-3": "abc",
  "ap-southeast-4": "abc",
  "ap-southeast-5": "abc",
  "ap-southeast-7": "abc",
} as const;

/** A region this project knows the zones of. */
export type Region = keyof typeof ZONE_LETTERS;

/** Every supported region, sorted, for schema enums and error messages. */
export const REGIONS = Object.keys(ZONE_LETTERS).sort() as [Region, ...Region[]];

/** The usable availability zones of a region, in a fixed order (the subnet plan keys on it). */
export function availabilityZones(region: Region): string[] {
  return [...ZONE_LETTERS[region]].map((letter) => `${region}${letter}`);
}
