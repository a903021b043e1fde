import { AMI_TYPES, KUBERNETES_VERSIONS, mismatchedInstanceTypes, nodeCountProblem } from "../modules/eks/versions";
import { type FieldProblem } from "./checks";
import { type EnvironmentConfig } from "./schema";

/** Node groups every cluster has: system add-ons, and applications. */
export const REQUIRED_NODE_GROUPS = ["system", "apps"] as const;

/** Checks of the EKS section that need more than one field. */
export function checkEks(env: EnvironmentConfig): FieldProblem[] {
  const { eks } = env;
  const problems: FieldProblem[] = [];
  if (env.production && !eks.deletionProtection) {
    problems.push({ field: "eks.deletionProtection", value: false, message: "a production cluster must have deletion protection, so one mistaken API call cannot delete it; allowed: true" });
  }
  if (eks.publicAccessCidrs.includes("0.0.0.0/0")) {
    problems.push({ field: "eks.publicAccessCidrs", value: "0.0.0.0/0", message: "would open the Kubernetes API to the whole internet; allowed: the CIDRs of your offices or VPN only" });
  }
  for (const name of REQUIRED_NODE_GROUPS) {
    if (!(name in eks.nodeGroups)) problems.push({ field: `eks.nodeGroups.${name}`, message: `is required: every cluster has a "system" group for add-ons and an "apps" group for workloads` });
  }
  for (const [name, group] of Object.entries(eks.nodeGroups)) {
    const field = `eks.nodeGroups.${name}`;
    const sizeProblem = nodeCountProblem(group.size);
    if (sizeProblem) problems.push({ field: `${field}.size`, value: group.size, message: sizeProblem });
    if (group.instanceTypes.length === 0) problems.push({ field: `${field}.instanceTypes`, message: "must list at least one instance type" });
    const arch = AMI_TYPES[group.amiType];
    const wrong = mismatchedInstanceTypes(group.instanceTypes, group.amiType);
    if (wrong.length) {
      problems.push({
        field: `${field}.instanceTypes`,
        value: wrong,
        message: `${arch === "arm64" ? "are x86 types, but amiType is ARM (Graviton)" : "are Graviton (ARM) types, but amiType is x86"}; use ${arch === "arm64" ? "Graviton types such as m7g.large" : "x86 types such as m7i.large"}, or amiType ${arch === "arm64" ? "AL2023_x86_64_STANDARD" : "AL2023_ARM_64_STANDARD"}`,
      });
    }
  }
  const system = eks.nodeGroups.system;
  if (system?.capacityType === "SPOT") {
    problems.push({ field: "eks.nodeGroups.system.capacityType", value: "SPOT", message: "the system group runs CoreDNS and the controllers and must not be interrupted; allowed: ON_DEMAND" });
  }
  if (system && env.production && system.size.min < 2) {
    problems.push({ field: "eks.nodeGroups.system.size.min", value: system.size.min, message: "a production cluster needs at least 2 system nodes, so one node failing does not take DNS and the controllers down; allowed: 2 or more" });
  }
  return problems;
}

/** Things worth saying about valid EKS config: a version leaving standard support soon. */
export function eksWarnings(env: EnvironmentConfig, today: Date = new Date()): FieldProblem[] {
  const ends = new Date(`${KUBERNETES_VERSIONS[env.eks.version].standardSupportEnds}T00:00:00Z`);
  const days = Math.ceil((ends.getTime() - today.getTime()) / 86_400_000);
  if (days > 120 || env.eks.supportType === "EXTENDED") return [];
  return [
    {
      field: "eks.version",
      value: env.eks.version,
      message: `leaves EKS standard support on ${KUBERNETES_VERSIONS[env.eks.version].standardSupportEnds} (${days > 0 ? `in ${days} days` : "already"}); plan the upgrade, or set eks.supportType: EXTENDED, which costs more`,
    },
  ];
}
