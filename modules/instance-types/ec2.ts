/**
 * The EC2 instance types node groups and Karpenter's NodePools may name, kept here and nowhere
 * else: each family's architecture and sizes, and each size's vCPUs and memory, so config can
 * refuse a misspelt type before apply, and a pod larger than any node the cluster can launch.
 *
 * Where the facts come from (as of 2026-12): the Amazon EC2 Instance Types Guide's specification
 * tables (general purpose, compute optimized, memory optimized, burstable), cross-checked against
 * public lists generated from DescribeInstanceTypes (kubernetes/autoscaler's
 * `cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go`, eksctl's
 * `pkg/utils/instance/instance_types.go`) and AWS's launch announcements of the 8th generation
 * (C8id, M8id, R8id, M8azn: early 2026).
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-types.html
 *
 * Within each family below, memory is a fixed number of GiB per vCPU (m 4, c 2, r and z 8, x 16 or
 * 32) and a size's vCPUs follow from its name (medium 1, large 2, xlarge 4, Nxlarge 4N, metal-Nxl
 * 4N; a plain `metal` has as many as the family's largest size), so each family is one line.
 * Burstable families have their own table. Families of other categories (storage, accelerated,
 * HPC, older generations) are known by name and architecture only: their sizes are not checked and
 * their vCPUs and memory are unknown here. A type AWS adds later is refused until it is added
 * here: one reviewed line.
 */

/** A CPU architecture, as EC2 names it (DescribeInstanceTypes' SupportedArchitectures). */
export type CpuArchitecture = "arm64" | "x86_64";

/** What one EC2 instance type offers a node. */
export interface InstanceShape {
  /** The type, `m7g.xlarge`. */
  readonly name: string;
  /** Its family, `m7g`. */
  readonly family: string;
  readonly arch: CpuArchitecture;
  readonly vcpus: number;
  readonly memoryGiB: number;
}

interface FamilySpec {
  readonly arch: CpuArchitecture;
  /** Size → [vCPUs, GiB]. */
  readonly sizes: Readonly<Record<string, readonly [number, number]>>;
}

/** vCPUs of a size by its name; `metal` has `metal` of them. */
function vcpusOf(size: string, metal: number | undefined): number {
  const fixed: Record<string, number> = { medium: 1, large: 2, xlarge: 4 };
  const scaled = /^(?:(\d+)xlarge|metal-(\d+)xl)$/.exec(size);
  const vcpus = fixed[size] ?? (scaled ? 4 * Number(scaled[1] ?? scaled[2]) : size === "metal" ? metal : undefined);
  if (vcpus === undefined) throw new Error(`instance size ${size} has no vCPU count`);
  return vcpus;
}

/** A family whose memory is `gibPerVcpu` per vCPU, in these sizes (`metal`: the family's largest). */
function family(arch: CpuArchitecture, gibPerVcpu: number, sizes: string, metal?: number): FamilySpec {
  const table = Object.fromEntries(sizes.split(" ").map((size) => {
    const vcpus = vcpusOf(size, metal);
    return [size, [vcpus, vcpus * gibPerVcpu] as const];
  }));
  return { arch, sizes: table };
}

// The size ranges families share (a plain `metal` gets its vCPUs from the family's line).
const GRAVITON2_3 = "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal";
const GRAVITON4 = "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl";
const INTEL5 = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal";
const AMD5 = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge";
const C5 = "large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal";
const INTEL6 = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal";
const AMD6 = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal";
const INTEL7 = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl";
const AMD7 = "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal-48xl";
const FLEX = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge";
const INTEL8 = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge 96xlarge metal-48xl metal-96xl";
const AMD8 = "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl";

/** The burstable sizes of T3, T3a and T4g: every one but xlarge and 2xlarge has 2 vCPUs. */
const BURSTABLE: FamilySpec["sizes"] = { nano: [2, 0.5], micro: [2, 1], small: [2, 2], medium: [2, 4], large: [2, 8], xlarge: [4, 16], "2xlarge": [8, 32] };

/** The families whose sizes, vCPUs and memory are known here. */
export const EC2_FAMILIES: Readonly<Record<string, FamilySpec>> = {
  // General purpose: 4 GiB per vCPU.
  m5: family("x86_64", 4, INTEL5, 96),
  m5d: family("x86_64", 4, INTEL5, 96),
  m5a: family("x86_64", 4, AMD5),
  m5zn: family("x86_64", 4, "large xlarge 2xlarge 3xlarge 6xlarge 12xlarge metal", 48),
  m6g: family("arm64", 4, GRAVITON2_3, 64),
  m6gd: family("arm64", 4, GRAVITON2_3, 64),
  m6i: family("x86_64", 4, INTEL6, 128),
  m6id: family("x86_64", 4, INTEL6, 128),
  m6in: family("x86_64", 4, INTEL6, 128),
  m6idn: family("x86_64", 4, INTEL6, 128),
  m6a: family("x86_64", 4, AMD6, 192),
  m7g: family("arm64", 4, GRAVITON2_3, 64),
  m7gd: family("arm64", 4, GRAVITON2_3, 64),
  m7i: family("x86_64", 4, INTEL7),
  "m7i-flex": family("x86_64", 4, FLEX),
  m7a: family("x86_64", 4, AMD7),
  m8g: family("arm64", 4, GRAVITON4),
  m8gd: family("arm64", 4, GRAVITON4),
  m8i: family("x86_64", 4, INTEL8),
  m8id: family("x86_64", 4, INTEL8),
  "m8i-flex": family("x86_64", 4, FLEX),
  m8a: family("x86_64", 4, AMD8),
  m8azn: family("x86_64", 4, "medium large xlarge 3xlarge 6xlarge 12xlarge 24xlarge metal-12xl metal-24xl"),
  // Compute optimized: 2 GiB per vCPU.
  c5: family("x86_64", 2, C5, 96),
  c5d: family("x86_64", 2, C5, 96),
  c5a: family("x86_64", 2, AMD5),
  c6g: family("arm64", 2, GRAVITON2_3, 64),
  c6gd: family("arm64", 2, GRAVITON2_3, 64),
  c6gn: family("arm64", 2, GRAVITON2_3, 64),
  c6i: family("x86_64", 2, INTEL6, 128),
  c6id: family("x86_64", 2, INTEL6, 128),
  c6in: family("x86_64", 2, INTEL6, 128),
  c6a: family("x86_64", 2, AMD6, 192),
  c7g: family("arm64", 2, GRAVITON2_3, 64),
  c7gd: family("arm64", 2, GRAVITON2_3, 64),
  c7gn: family("arm64", 2, GRAVITON2_3, 64),
  c7i: family("x86_64", 2, INTEL7),
  "c7i-flex": family("x86_64", 2, FLEX),
  c7a: family("x86_64", 2, AMD7),
  c8g: family("arm64", 2, GRAVITON4),
  c8gd: family("arm64", 2, GRAVITON4),
  c8gn: family("arm64", 2, GRAVITON4),
  c8i: family("x86_64", 2, INTEL8),
  c8id: family("x86_64", 2, INTEL8),
  "c8i-flex": family("x86_64", 2, FLEX),
  c8a: family("x86_64", 2, AMD8),
  // Memory optimized: 8 GiB per vCPU (r, z), 16 or 32 (x).
  r5: family("x86_64", 8, INTEL5, 96),
  r5d: family("x86_64", 8, INTEL5, 96),
  r5b: family("x86_64", 8, INTEL5, 96),
  r5a: family("x86_64", 8, AMD5),
  r6g: family("arm64", 8, GRAVITON2_3, 64),
  r6gd: family("arm64", 8, GRAVITON2_3, 64),
  r6i: family("x86_64", 8, INTEL6, 128),
  r6id: family("x86_64", 8, INTEL6, 128),
  r6in: family("x86_64", 8, INTEL6, 128),
  r6idn: family("x86_64", 8, INTEL6, 128),
  r6a: family("x86_64", 8, AMD6, 192),
  r7g: family("arm64", 8, GRAVITON2_3, 64),
  r7gd: family("arm64", 8, GRAVITON2_3, 64),
  r7i: family("x86_64", 8, INTEL7),
  r7iz: family("x86_64", 8, "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 32xlarge metal-16xl metal-32xl"),
  r7a: family("x86_64", 8, AMD7),
  r8g: family("arm64", 8, GRAVITON4),
  r8gd: family("arm64", 8, GRAVITON4),
  r8i: family("x86_64", 8, INTEL8),
  r8id: family("x86_64", 8, INTEL8),
  "r8i-flex": family("x86_64", 8, FLEX),
  r8a: family("x86_64", 8, AMD8),
  x2gd: family("arm64", 16, GRAVITON2_3, 64),
  x8g: family("arm64", 16, GRAVITON4),
  x2idn: family("x86_64", 16, "16xlarge 24xlarge 32xlarge metal", 128),
  x2iedn: family("x86_64", 32, "xlarge 2xlarge 4xlarge 8xlarge 16xlarge 24xlarge 32xlarge metal", 128),
  z1d: family("x86_64", 8, "large xlarge 2xlarge 3xlarge 6xlarge 12xlarge metal", 48),
  // Burstable: a baseline share of each vCPU, with credits to burst (for development).
  t3: { arch: "x86_64", sizes: BURSTABLE },
  t3a: { arch: "x86_64", sizes: BURSTABLE },
  t4g: { arch: "arm64", sizes: BURSTABLE },
};

/**
 * Families known by name and architecture only: storage optimized, accelerated, HPC, high
 * memory and older generations. Their sizes are not checked here, and the largest node of a
 * cluster that may launch them is not known.
 */
export const EC2_FAMILIES_BY_NAME: Readonly<Record<string, CpuArchitecture>> = Object.fromEntries([
  ...["a1", "m8gn", "m8gb", "r8gn", "r8gb", "c8gb", "i4g", "im4gn", "is4gen", "i8g", "i8ge", "g5g", "hpc7g", "p6e-gb200"].map((f) => [f, "arm64"] as const),
  ...[
    "t2", "m4", "c4", "r4", "c5n", "c5ad", "m5n", "m5dn", "m5ad", "r5n", "r5dn", "r5ad", "x1", "x1e", "x2iezn",
    "i3", "i3en", "i4i", "i7i", "i7ie", "d2", "d3", "d3en", "h1",
    "g4dn", "g4ad", "g5", "g6", "g6e", "g6f", "gr6", "gr6f", "g7e", "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "p6-b200", "p6-b300",
    "trn1", "trn1n", "trn2", "inf1", "inf2", "dl1", "dl2q", "f1", "f2", "vt1", "hpc6a", "hpc6id", "hpc7a", "hpc8a",
    "u-3tb1", "u-6tb1", "u-9tb1", "u-12tb1", "u-18tb1", "u-24tb1", "u7i-6tb", "u7i-8tb", "u7i-12tb", "u7in-16tb", "u7in-24tb", "u7in-32tb", "u7inh-32tb",
  ].map((f) => [f, "x86_64"] as const),
]);

/** Size names EC2 uses, for families whose sizes are not listed here. */
const SIZE_NAME = /^(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;

/** Whether a word is an EC2 size name (large, 2xlarge, metal-24xl), whatever the family. */
export function isInstanceSizeName(size: string): boolean {
  return SIZE_NAME.test(size);
}

/** Every instance type whose vCPUs and memory are known here. */
export const EC2_INSTANCE_TYPES: readonly InstanceShape[] = Object.entries(EC2_FAMILIES).flatMap(([name, spec]) =>
  Object.entries(spec.sizes).map(([size, [vcpus, memoryGiB]]) => ({ name: `${name}.${size}`, family: name, arch: spec.arch, vcpus, memoryGiB })),
);

/** Every family known here, with or without its sizes. */
export const EC2_FAMILY_NAMES: readonly string[] = [...Object.keys(EC2_FAMILIES), ...Object.keys(EC2_FAMILIES_BY_NAME)].sort();

/** Every size name used by a family listed with its sizes. */
export const EC2_SIZE_NAMES: readonly string[] = [...new Set(Object.values(EC2_FAMILIES).flatMap((spec) => Object.keys(spec.sizes)))];

/** What is known of an instance type: its shape, its family only, or nothing (a typo, or a type added after this table). */
export type InstanceTypeLookup =
  | { readonly kind: "known"; readonly shape: InstanceShape }
  | { readonly kind: "family-only"; readonly family: string; readonly arch: CpuArchitecture }
  | { readonly kind: "unknown-size"; readonly family: string; readonly sizes: readonly string[] }
  | { readonly kind: "unknown-family"; readonly family: string };

/** Looks an instance type (`m7g.xlarge`) up in the table. */
export function lookupInstanceType(instanceType: string): InstanceTypeLookup {
  const dot = instanceType.lastIndexOf(".");
  const familyName = dot < 0 ? instanceType : instanceType.slice(0, dot);
  const size = dot < 0 ? "" : instanceType.slice(dot + 1);
  const spec = EC2_FAMILIES[familyName];
  if (spec) {
    const known = spec.sizes[size];
    return known ? { kind: "known", shape: { name: instanceType, family: familyName, arch: spec.arch, vcpus: known[0], memoryGiB: known[1] } } : { kind: "unknown-size", family: familyName, sizes: Object.keys(spec.sizes) };
  }
  const arch = EC2_FAMILIES_BY_NAME[familyName];
  if (arch) return SIZE_NAME.test(size) ? { kind: "family-only", family: familyName, arch } : { kind: "unknown-size", family: familyName, sizes: [] };
  return { kind: "unknown-family", family: familyName };
}

/** The architecture of a known family, or undefined. */
export function familyArchitecture(familyName: string): CpuArchitecture | undefined {
  return EC2_FAMILIES[familyName]?.arch ?? EC2_FAMILIES_BY_NAME[familyName];
}

/** Karpenter's instance category of a family: the letters before its generation (`m7i-flex` → `m`, `hpc7g` → `hpc`). */
export function familyCategory(familyName: string): string {
  return /^[a-z]+/.exec(familyName)?.[0] ?? familyName;
}

/** Karpenter's instance generation of a family: the number after its category (`m7i-flex` → 7). */
export function familyGeneration(familyName: string): number {
  return Number(/^[a-z]+-?(\d+)/.exec(familyName)?.[1] ?? 0);
}
