/**
 * The Kubernetes versions this project runs, with when EKS standard support ends for each
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), and the managed
 * add-on versions pinned for each. Versions are never looked up at plan time (no
 * `aws_eks_addon_version` data source): a change of version is a reviewed change of this table.
 * Check a new entry with `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <a>`.
 */
export const KUBERNETES_VERSIONS = {
  "1.34": {
    standardSupportEnds: "2026-12-02",
    addons: {
      "vpc-cni": "v1.20.4-eksbuild.1",
      "kube-proxy": "v1.34.1-eksbuild.2",
      coredns: "v1.12.4-eksbuild.1",
      "eks-pod-identity-agent": "v1.3.9-eksbuild.3",
      "aws-ebs-csi-driver": "v1.50.1-eksbuild.1",
    },
  },
  "1.35": {
    standardSupportEnds: "2027-03-27",
    addons: {
      "vpc-cni": "v1.21.1-eksbuild.1",
      "kube-proxy": "v1.35.0-eksbuild.2",
      coredns: "v1.13.1-eksbuild.1",
      "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
      "aws-ebs-csi-driver": "v1.53.0-eksbuild.1",
    },
  },
} as const;

/** A Kubernetes version this project supports. */
export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;

/** The default for new clusters. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.35";

/** The managed add-ons every cluster runs. */
export type AddonName = keyof (typeof KUBERNETES_VERSIONS)[KubernetesVersion]["addons"];

/** The AMI types of managed node groups this project supports: Amazon Linux 2023 on x86 or on Graviton (ARM). */
export const AMI_TYPES = { AL2023_x86_64_STANDARD: "x86_64", AL2023_ARM_64_STANDARD: "arm64" } as const;
export type AmiType = keyof typeof AMI_TYPES;

/** Whether an EC2 instance type runs on Graviton (ARM): a `g` right after the generation (m7g, c7gn, r8gd, t4g, im4gn). */
export function isGraviton(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z-]*\./.test(instanceType);
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
