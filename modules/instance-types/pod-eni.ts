import { lookupInstanceType } from "./ec2";

/**
 * How many pods with their own security groups (security groups for pods: a `SecurityGroupPolicy`
 * matches them, each gets a branch network interface on the node's trunk interface) each EC2
 * instance type can run: the `vpc.amazonaws.com/pod-eni` extended resource the VPC resource
 * controller advertises on a node, and that Karpenter counts when it picks an instance type.
 *
 * Where the facts come from: the generated per-type table (`IsTrunkingCompatible`,
 * `BranchInterface`) that the VPC resource controller keeps in
 * aws/amazon-vpc-resource-controller-k8s `pkg/aws/vpc/limits.go` and that Karpenter embeds as
 * aws/karpenter-provider-aws `pkg/providers/instancetype/zz_generated.vpclimits.go`. The values
 * below are the latter's, commit 01a436f0bbbc75a1252aba1a3a48ca115b7e6cc0, "generated at
 * 2026-08-06T04:02:42Z"; every family shared with the controller's own table ("generated at
 * 2025-10-06T18:36:29Z", commit 02c28c714bc8393f42fc9db2bc264e421c62aba4) that was compared has
 * the same counts. The EKS user guide's "Security groups for Pods" points at limits.go as the list
 * of supported types (only `IsTrunkingCompatible: true` types; "no instance types in the `t`
 * family are supported").
 * @see https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html
 *
 * The control plane's controller can lag behind Karpenter's copy: a type Karpenter launches may be
 * refused by the controller ("not supported yet by the vpc resource controller",
 * aws/karpenter-provider-aws#8981), leaving its pod-ENI pods Pending. The newest families here
 * (m8a, c8a, r8a, m8azn, m8id, c8id, r8id, the Graviton4 `n`/`b` variants) are not in the
 * controller's 2025-10-06 table.
 *
 * Branch interfaces are additive to a node's IP-address pods, and prefix delegation does not raise
 * them (amazon-vpc-cni-k8s README, `ENABLE_POD_ENI`). Counts follow the interface count, not the
 * vCPUs (xlarge and 2xlarge both have 4 ENIs, but 18 and 38 branches), so each family names its
 * row; families that share a row share a constant below. A size or family the table has no row for
 * is unknown (undefined), never guessed.
 */

/** Rows shared by several families: size:branch interfaces. */
// Graviton2/3 (m6g m6gd c6g c6gd c6gn c7g c7gd c7gn r6g r6gd r7g r7gd m7g m7gd x2gd).
const G23 = "medium:4 large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:54 12xlarge:54 16xlarge:107 metal:107";
// Graviton4 (m8g m8gd c8g c8gd r8g r8gd x8g; i8g without medium).
const G4 = "medium:4 large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:54 12xlarge:54 16xlarge:107 24xlarge:107 48xlarge:107 metal-24xl:107 metal-48xl:107";
// Graviton4 network- and EBS-optimized (c8gn m8gn r8gn c8gb m8gb r8gb).
const G4N = "medium:4 large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:52 12xlarge:50 16xlarge:106 24xlarge:98 48xlarge:98 metal-24xl:98 metal-48xl:98";
// 5th generation Intel and AMD without metal (m5a m5ad r5a r5ad c5a c5ad); with metal 107 (m5d m5dn m5n r5b r5d r5dn r5n).
const X5 = "large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:54 12xlarge:54 16xlarge:107 24xlarge:107";
const C5 = "large:9 xlarge:18 2xlarge:38 4xlarge:54 9xlarge:54 12xlarge:54 18xlarge:107 24xlarge:107 metal:107";
// 6th generation Intel (m6i m6id c6i c6id r6i r6id); AMD adds 48xlarge.
const X6 = "large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:84 12xlarge:114 16xlarge:107 24xlarge:107 32xlarge:107 metal:107";
// 7th generation Intel (m7i c7i r7i), AMD (m7a c7a r7a) and flex (m7i-flex c7i-flex).
const I7 = "large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:84 12xlarge:114 16xlarge:107 24xlarge:107 48xlarge:107 metal-24xl:107 metal-48xl:107";
const A7 = "medium:4 large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:84 12xlarge:114 16xlarge:107 24xlarge:107 32xlarge:107 48xlarge:107 metal-48xl:107";
const F7 = "large:3 xlarge:8 2xlarge:18 4xlarge:34 8xlarge:54 12xlarge:114 16xlarge:107";
// 8th generation Intel (m8i m8id c8i c8id r8i r8id), AMD (m8a c8a r8a) and flex (m8i-flex c8i-flex r8i-flex).
const I8 = "large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:82 12xlarge:110 16xlarge:106 24xlarge:106 32xlarge:98 48xlarge:98 96xlarge:98 metal-48xl:98 metal-96xl:98";
const A8 = "medium:4 large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:82 12xlarge:110 16xlarge:106 24xlarge:106 48xlarge:98 metal-24xl:106 metal-48xl:98";
const F8 = "large:3 xlarge:8 2xlarge:18 4xlarge:34 8xlarge:52 12xlarge:110 16xlarge:106";

/** Families no size of which is trunking compatible (Xen, and the Nitro burstable t3, t3a, t4g). */
const NONE = 0;

/** A row, with later `size:n` entries overriding earlier ones and `-size` removing a size the table has no row for. */
function row(...parts: string[]): Readonly<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const token of parts.join(" ").split(" ").filter(Boolean)) {
    if (token.startsWith("-")) delete counts[token.slice(1)];
    else {
      const [size, count] = token.split(":");
      counts[size ?? ""] = Number(count);
    }
  }
  return counts;
}

/** Each family's row, or {@link NONE}. */
const POD_ENI_FAMILIES: Readonly<Record<string, Readonly<Record<string, number>> | typeof NONE>> = {
  // General purpose.
  m5: row(X5, "metal:120"), m5d: row(X5, "metal:107"), m5dn: row(X5, "metal:107"), m5n: row(X5, "metal:107"), m5a: row(X5), m5ad: row(X5),
  m5zn: row("large:13 xlarge:29 2xlarge:62 3xlarge:92 6xlarge:114 12xlarge:107 metal:107"),
  m6g: row(G23), m6gd: row(G23), m6i: row(X6), m6id: row(X6), m6in: row(X6, "32xlarge:106 metal:106"), m6idn: row(X6, "32xlarge:106 metal:106"), m6a: row(X6, "48xlarge:107"),
  m7g: row(G23), m7gd: row(G23), m7i: row(I7), "m7i-flex": row(F7), m7a: row(A7),
  m8g: row(G4), m8gd: row(G4), m8gn: row(G4N), m8gb: row(G4N), m8i: row(I8), m8id: row(I8), "m8i-flex": row(F8), m8a: row(A8),
  m8azn: row("medium:3 large:8 xlarge:18 3xlarge:34 6xlarge:54 12xlarge:106 24xlarge:106 metal-12xl:106 metal-24xl:106"),
  a1: row("medium:10 large:9 xlarge:18 2xlarge:38 4xlarge:54 metal:54"),
  // Compute optimized.
  c5: row(C5), c5d: row(C5), c5n: row(C5, "-12xlarge -24xlarge"), c5a: row(X5), c5ad: row(X5),
  c6g: row(G23), c6gd: row(G23), c6gn: row(G23, "-metal"), c6i: row(X6), c6id: row(X6), c6in: row(X6, "32xlarge:106 metal:106"), c6a: row(X6, "48xlarge:107"),
  c7g: row(G23), c7gd: row(G23), c7gn: row(G23), c7i: row(I7), "c7i-flex": row(F7), c7a: row(A7),
  c8g: row(G4), c8gd: row(G4), c8gn: row(G4N), c8gb: row(G4N), c8i: row(I8), c8id: row(I8), "c8i-flex": row(F8), c8a: row(A8),
  // Memory optimized.
  r5: row(X5, "metal:120"), r5d: row(X5, "metal:107"), r5b: row(X5, "metal:107"), r5dn: row(X5, "metal:107"), r5n: row(X5, "metal:107"), r5a: row(X5), r5ad: row(X5),
  r6g: row(G23), r6gd: row(G23), r6i: row(X6), r6id: row(X6), r6in: row(X6, "32xlarge:106 metal:106"), r6idn: row(X6, "32xlarge:106 metal:106"), r6a: row(X6, "48xlarge:107"),
  r7g: row(G23), r7gd: row(G23), r7i: row(I7), r7a: row(A7),
  r7iz: row("large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:84 12xlarge:114 16xlarge:107 32xlarge:107 metal-16xl:107 metal-32xl:107"),
  r8g: row(G4), r8gd: row(G4), r8gn: row(G4N), r8gb: row(G4N), r8i: row(I8), r8id: row(I8), "r8i-flex": row(F8), r8a: row(A8),
  x2gd: row(G23, "medium:10"), x8g: row(G4),
  x2idn: row("16xlarge:107 24xlarge:107 32xlarge:107 metal:107"),
  x2iedn: row("xlarge:11 2xlarge:27 4xlarge:54 8xlarge:114 16xlarge:107 24xlarge:107 32xlarge:107 metal:107"),
  x2iezn: row("2xlarge:62 4xlarge:114 6xlarge:114 8xlarge:114 12xlarge:107 metal:107"),
  z1d: row("large:13 xlarge:28 2xlarge:58 3xlarge:54 6xlarge:54 12xlarge:107 metal:107"),
  // Storage optimized (i3 is Xen but for its bare-metal size).
  i3: row("large:0 xlarge:0 2xlarge:0 4xlarge:0 8xlarge:0 16xlarge:0 metal:120"),
  i3en: row("large:5 xlarge:12 2xlarge:28 3xlarge:38 6xlarge:54 12xlarge:54 24xlarge:107 metal:107"),
  i4g: row("large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:54 16xlarge:107"),
  i4i: row("large:9 xlarge:6 2xlarge:26 4xlarge:52 8xlarge:112 12xlarge:112 16xlarge:120 24xlarge:105 32xlarge:120 metal:120"),
  i7i: row(I7, "12xlarge:84"),
  i7ie: row("large:19 xlarge:27 2xlarge:27 3xlarge:27 6xlarge:54 12xlarge:54 18xlarge:107 24xlarge:107 48xlarge:107 metal-24xl:107 metal-48xl:107"),
  i8g: row(G4, "-medium"),
  i8ge: row("large:19 xlarge:27 2xlarge:27 3xlarge:25 6xlarge:52 12xlarge:50 18xlarge:106 24xlarge:106 48xlarge:98 metal-24xl:106 metal-48xl:98"),
  im4gn: row("large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:54 16xlarge:107"),
  is4gen: row("medium:4 large:9 xlarge:18 2xlarge:38 4xlarge:54 8xlarge:54"),
  d3: row("xlarge:42 2xlarge:92 4xlarge:118 8xlarge:119"),
  d3en: row("xlarge:24 2xlarge:58 4xlarge:118 6xlarge:118 8xlarge:118 12xlarge:119"),
  // Accelerated and HPC.
  g4dn: row("xlarge:39 2xlarge:39 4xlarge:59 8xlarge:58 12xlarge:54 16xlarge:118 metal:107"),
  g4ad: row("xlarge:12 2xlarge:12 4xlarge:11 8xlarge:10 16xlarge:6"),
  g5: row("xlarge:4 2xlarge:17 4xlarge:34 8xlarge:84 12xlarge:107 16xlarge:114 24xlarge:107 48xlarge:115"),
  g5g: row("xlarge:18 2xlarge:38 4xlarge:54 8xlarge:54 16xlarge:107 metal:107"),
  g6: row("xlarge:18 2xlarge:38 4xlarge:54 8xlarge:84 12xlarge:114 16xlarge:107 24xlarge:107 48xlarge:107"),
  g6e: row("xlarge:18 2xlarge:38 4xlarge:54 8xlarge:84 12xlarge:112 16xlarge:107 24xlarge:102 48xlarge:82"),
  g6f: row("large:10 xlarge:18 2xlarge:38 4xlarge:54"), gr6: row("4xlarge:54 8xlarge:84"), gr6f: row("4xlarge:54"),
  g7e: row("2xlarge:120 4xlarge:120 8xlarge:120 12xlarge:120 24xlarge:120 48xlarge:120"),
  p3dn: row("24xlarge:107"), p4d: row("24xlarge:62"), p4de: row("24xlarge:62"), p5: row("4xlarge:58 48xlarge:120"), p5e: row("48xlarge:120"), p5en: row("48xlarge:120"),
  "p6-b200": row("48xlarge:120"), "p6-b300": row("48xlarge:120"),
  trn1: row("2xlarge:17 32xlarge:82"), trn1n: row("32xlarge:120"), inf1: row("xlarge:38 2xlarge:38 6xlarge:54 24xlarge:111"), inf2: row("xlarge:18 8xlarge:84 24xlarge:107 48xlarge:107"),
  dl1: row("24xlarge:62"), dl2q: row("24xlarge:107"), f2: row("6xlarge:84 12xlarge:114 48xlarge:107"), vt1: row("3xlarge:38 6xlarge:54 24xlarge:107"),
  hpc7g: row("4xlarge:118 8xlarge:118 16xlarge:118"),
  // High memory.
  "u-3tb1": row("56xlarge:6"), "u-6tb1": row("56xlarge:0 112xlarge:0"), "u7i-6tb": row("112xlarge:107"), "u7i-8tb": row("112xlarge:107"), "u7i-12tb": row("224xlarge:107"),
  "u7in-16tb": row("224xlarge:106"), "u7in-24tb": row("224xlarge:106"), "u7in-32tb": row("224xlarge:106"),
  // Not trunking compatible at any size.
  t2: NONE, t3: NONE, t3a: NONE, t4g: NONE, m4: NONE, c4: NONE, r4: NONE, x1: NONE, x1e: NONE, d2: NONE, h1: NONE, f1: NONE, p3: NONE,
};

/**
 * Families the instance-type table knows that the upstream table has no row for, so their
 * capacity is unknown: a pod-ENI pod cannot be placed on them until a regenerated table lists them.
 */
export const POD_ENI_UNKNOWN_FAMILIES: readonly string[] = ["hpc6a", "hpc6id", "hpc7a", "hpc8a", "p6e-gb200", "trn2", "u-9tb1", "u-12tb1", "u-18tb1", "u-24tb1", "u7inh-32tb"];

/** The date of the upstream table the counts come from, for messages that quote a count. */
export const POD_ENI_TABLE_DATE = "2026-08-06";

/**
 * The branch network interfaces (pods with their own security groups) one instance of a type can
 * hold: `0` when the type is not trunking compatible (every t2, t3, t3a, t4g; Xen types), a
 * positive count when it is, and `undefined` for a type this table cannot answer for (a misspelt
 * or unknown type, or a size the upstream table has no row for, such as `c6gn.metal`).
 */
export function podEniCapacity(instanceType: string): number | undefined {
  const lookup = lookupInstanceType(instanceType);
  if (lookup.kind === "unknown-family" || lookup.kind === "unknown-size") return undefined;
  const family = lookup.kind === "known" ? lookup.shape.family : lookup.family;
  const counts = POD_ENI_FAMILIES[family];
  if (counts === undefined) return undefined;
  return counts === NONE ? 0 : counts[instanceType.slice(family.length + 1)];
}
