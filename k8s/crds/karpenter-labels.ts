/**
 * What a Karpenter 1.14.1 NodePool requirement may say, for config checks that refuse a bad
 * NodePool at synth instead of Karpenter refusing it on the cluster.
 *
 * Sources (v1.14.1, commit bde00654cd316fddb3dccfba3f5ac07039865429): the NodePool CRD's CEL
 * rules on `spec.template.spec.requirements` (aws/karpenter-provider-aws
 * `pkg/apis/crds/karpenter.sh_nodepools.yaml`: the allowed `karpenter.k8s.aws/*` keys, the
 * restricted `karpenter.sh/*` and `kubernetes.io/hostname`, one non-negative integer for
 * Gt/Lt/Gte/Lte, values for In), the well-known labels of kubernetes-sigs/karpenter
 * `pkg/apis/v1/labels.go`, and which AWS labels carry integers (aws/karpenter-provider-aws
 * `pkg/providers/instancetype/types.go`). Docs: https://karpenter.sh/v1.14/concepts/scheduling/#well-known-labels
 */

/** The operators the CRD's `operator` enum allows. */
export const REQUIREMENT_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte"] as const;
export type RequirementOperator = (typeof REQUIREMENT_OPERATORS)[number];

/** Operators that compare one integer value. */
export const NUMERIC_OPERATORS: readonly RequirementOperator[] = ["Gt", "Lt", "Gte", "Lte"];

/** Kubernetes' and Karpenter's own well-known labels a requirement may use. */
const CORE_KEYS = ["kubernetes.io/arch", "kubernetes.io/os", "node.kubernetes.io/instance-type", "node.kubernetes.io/windows-build", "topology.kubernetes.io/zone", "topology.kubernetes.io/region", "topology.k8s.aws/zone-id", "karpenter.sh/capacity-type"] as const;

/** The `karpenter.k8s.aws/` labels the 1.14.1 CRD allows; any other key of that domain is refused by the API server. */
const AWS_KEYS = [
  "instance-tenancy", "capacity-reservation-type", "capacity-reservation-id", "capacity-reservation-interruptible", "ec2nodeclass",
  "instance-encryption-in-transit-supported", "instance-category", "instance-hypervisor", "instance-family", "instance-generation", "instance-local-nvme", "instance-size",
  "instance-cpu", "instance-cpu-manufacturer", "instance-cpu-sustained-clock-speed-mhz", "instance-memory", "instance-ebs-bandwidth", "instance-network-bandwidth",
  "instance-gpu-name", "instance-gpu-manufacturer", "instance-gpu-count", "instance-gpu-memory",
  "instance-accelerator-name", "instance-accelerator-manufacturer", "instance-accelerator-count", "instance-capability-flex",
  "placement-group-id", "placement-group-partition",
].map((k) => `karpenter.k8s.aws/${k}`);

/** Every key a requirement may use. */
export const REQUIREMENT_KEYS: readonly string[] = [...CORE_KEYS, ...AWS_KEYS];

/** Keys whose values are integers, the only ones Gt/Lt/Gte/Lte compare meaningfully. */
export const NUMERIC_KEYS: readonly string[] = [
  "instance-cpu", "instance-cpu-sustained-clock-speed-mhz", "instance-memory", "instance-gpu-memory", "instance-ebs-bandwidth", "instance-network-bandwidth",
  "instance-generation", "instance-gpu-count", "instance-accelerator-count", "instance-local-nvme", "placement-group-partition",
].map((k) => `karpenter.k8s.aws/${k}`);

/** Why a requirement cannot be, or undefined. */
export function requirementProblem(requirement: { readonly key: string; readonly operator: string; readonly values?: readonly string[] }): string | undefined {
  const { key, operator } = requirement;
  const values = requirement.values ?? [];
  if (key === "kubernetes.io/hostname" || (key.startsWith("karpenter.sh/") && key !== "karpenter.sh/capacity-type")) {
    return `key ${key} is restricted: Karpenter sets it itself and refuses it in a NodePool requirement`;
  }
  if (!REQUIREMENT_KEYS.includes(key)) return `key ${key} is not a well-known label Karpenter 1.14.1 can launch for; allowed: ${REQUIREMENT_KEYS.join(", ")}`;
  if (!(REQUIREMENT_OPERATORS as readonly string[]).includes(operator)) return `operator ${operator} is not one of ${REQUIREMENT_OPERATORS.join(", ")}`;
  if (NUMERIC_OPERATORS.includes(operator as RequirementOperator)) {
    if (!NUMERIC_KEYS.includes(key)) return `operator ${operator} compares integers, but ${key} is not an integer label; allowed keys: ${NUMERIC_KEYS.join(", ")}`;
    if (values.length !== 1 || !/^\d+$/.test(values[0] as string)) return `operator ${operator} takes exactly one non-negative integer value (got ${JSON.stringify(values)})`;
  }
  if ((operator === "In" || operator === "NotIn") && values.length === 0) return `operator ${operator} needs at least one value`;
  if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0) return `operator ${operator} takes no values (got ${JSON.stringify(values)})`;
  return undefined;
}
