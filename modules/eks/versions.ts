import { familyArchitecture } from "../instance-types/ec2";

/**
 * The Kubernetes versions this project runs, with the dates EKS support ends for each, and the
 * managed add-on versions pinned for each. Versions are never looked up at plan time (no
 * `aws_eks_addon_version` data source): a change of version is a reviewed change of this table.
 * Check a new entry with `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <a>`.
 * `apiRelease` is the Kubernetes release whose OpenAPI the objects are validated against
 * (`npm run kube-check`; the API of a minor version is the same in all its patches).
 *
 * Where the facts come from (2026-12): the support dates from the EKS release calendar
 * (awsdocs/amazon-eks-user-guide `latest/ug/versioning/kubernetes-versions.adoc`; 1.35 and 1.36
 * as quoted from it); the add-on builds from AWS's add-on version tables (managing-kube-proxy,
 * managing-coredns) and public Terraform that pins them from `describe-addon-versions` for 1.35
 * and 1.36 (Oct 2026). An add-on build is never removed for its Kubernetes version, so a pin
 * stays valid when newer builds appear; refresh them with the version, one reviewed change.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (release calendar)
 */
export const KUBERNETES_VERSIONS = {
  "1.34": {
    apiRelease: "1.34.2",
    standardSupportEnds: "2026-12-02",
    extendedSupportEnds: "2027-12-02",
    addons: {
      "vpc-cni": "v1.20.4-eksbuild.1",
      "kube-proxy": "v1.34.1-eksbuild.2",
      coredns: "v1.12.4-eksbuild.1",
      "eks-pod-identity-agent": "v1.3.9-eksbuild.3",
      "aws-ebs-csi-driver": "v1.50.1-eksbuild.1",
    },
  },
  "1.35": {
    apiRelease: "1.35.0",
    standardSupportEnds: "2027-03-27",
    extendedSupportEnds: "2028-03-27",
    addons: {
      "vpc-cni": "v1.23.2-eksbuild.1",
      "kube-proxy": "v1.35.3-eksbuild.29",
      coredns: "v1.14.6-eksbuild.4",
      "eks-pod-identity-agent": "v1.4.0-eksbuild.3",
      "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
    },
  },
  "1.36": {
    apiRelease: "1.36.2",
    standardSupportEnds: "2027-08-02",
    extendedSupportEnds: "2028-08-02",
    addons: {
      "vpc-cni": "v1.23.2-eksbuild.1",
      "kube-proxy": "v1.36.0-eksbuild.45",
      coredns: "v1.14.7-eksbuild.11",
      "eks-pod-identity-agent": "v1.4.0-eksbuild.3",
      "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
    },
  },
} as const;

/** A Kubernetes version this project supports. */
export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;

/** The default for new clusters. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.36";

/** EKS's support types: STANDARD, or EXTENDED (billed per cluster-hour after standard support ends). */
export type SupportType = "STANDARD" | "EXTENDED";

/** How many days ahead of the end of a support period the synth starts to warn. */
export const SUPPORT_WARNING_DAYS = 120;

/**
 * Where a cluster of a version and support type stands on a day:
 * - `supported`: in standard support, more than {@link SUPPORT_WARNING_DAYS} days from its end;
 * - `ending`: standard support ends within that many days (`then` says what follows);
 * - `extended`: past standard support, on paid extended support (support type EXTENDED);
 * - `unsupported`: past the end of the support the cluster's type allows, when EKS upgrades the
 *   cluster to the next version by itself, outside any reviewed change.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html (cluster upgrade policy)
 */
export type SupportStanding =
  | { readonly kind: "supported" }
  | { readonly kind: "ending"; readonly ends: string; readonly days: number; readonly then: "auto-upgrade" | "extended" }
  | { readonly kind: "extended"; readonly since: string; readonly ends: string; readonly days: number }
  | { readonly kind: "unsupported"; readonly ended: string; readonly support: "standard" | "extended" };

const DAY_MS = 86_400_000;
const startOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
const daysUntil = (day: string, now: Date) => Math.ceil((startOf(day) - now.getTime()) / DAY_MS);

/** The support standing of a version on `now` (support ends at 00:00 UTC of the day the table gives). */
export function supportStanding(version: KubernetesVersion, supportType: SupportType, now: Date): SupportStanding {
  const { standardSupportEnds: standard, extendedSupportEnds: extended } = KUBERNETES_VERSIONS[version];
  if (daysUntil(extended, now) <= 0) return { kind: "unsupported", ended: extended, support: "extended" };
  const days = daysUntil(standard, now);
  if (days <= 0) {
    return supportType === "EXTENDED" ? { kind: "extended", since: standard, ends: extended, days: daysUntil(extended, now) } : { kind: "unsupported", ended: standard, support: "standard" };
  }
  if (days <= SUPPORT_WARNING_DAYS) return { kind: "ending", ends: standard, days, then: supportType === "EXTENDED" ? "extended" : "auto-upgrade" };
  return { kind: "supported" };
}

/** The next minor version after `version` in the table, if there is one: the only version a cluster can be upgraded to. */
export function nextKubernetesVersion(version: KubernetesVersion): KubernetesVersion | undefined {
  const versions = Object.keys(KUBERNETES_VERSIONS) as KubernetesVersion[];
  return versions[versions.indexOf(version) + 1];
}

/** The managed add-ons every cluster runs. */
export type AddonName = keyof (typeof KUBERNETES_VERSIONS)[KubernetesVersion]["addons"];

/** The AMI types of managed node groups this project supports: Amazon Linux 2023 on x86 or on Graviton (ARM). */
export const AMI_TYPES = { AL2023_x86_64_STANDARD: "x86_64", AL2023_ARM_64_STANDARD: "arm64" } as const;
export type AmiType = keyof typeof AMI_TYPES;

/**
 * Whether an EC2 instance type runs on Graviton (ARM): as the instance-type table says, or, for a
 * family it does not know, by the name: a `g` right after the generation (m7g, c7gn, r8gd, t4g,
 * im4gn), or the first Graviton, a1.
 */
export function isGraviton(instanceType: string): boolean {
  const known = familyArchitecture(instanceType.split(".")[0] ?? "");
  return known ? known === "arm64" : /^[a-z]+\d+g[a-z-]*\./.test(instanceType) || instanceType.startsWith("a1.");
}

/** Why node counts cannot be, or undefined: they must satisfy min ≤ desired ≤ max. */
export function nodeCountProblem(size: { readonly min: number; readonly desired: number; readonly max: number }): string | undefined {
  const { min, desired, max } = size;
  return min <= desired && desired <= max ? undefined : `must satisfy min ≤ desired ≤ max (got ${min} ≤ ${desired} ≤ ${max})`;
}

/** The instance types that cannot run an AMI type: Graviton types under an x86 AMI, or the reverse. */
export function mismatchedInstanceTypes(instanceTypes: readonly string[], amiType: AmiType): string[] {
  const arm = AMI_TYPES[amiType] === "arm64";
  return instanceTypes.filter((t) => isGraviton(t) !== arm);
}
