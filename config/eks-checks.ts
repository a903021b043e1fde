import { AMI_TYPES, type KubernetesVersion, mismatchedInstanceTypes, nextKubernetesVersion, nodeCountProblem, type SupportStanding, supportStanding } from "../modules/eks/versions";
import { type FieldProblem } from "./checks";
import { nodeGroupTypeProblems } from "./instance-checks";
import { type EnvironmentConfig } from "./schema";

/** Node groups every cluster has: system add-ons, and applications. */
export const REQUIRED_NODE_GROUPS = ["system", "apps"] as const;

/**
 * Checks of the EKS section that need more than one field, or the date (when given): a version
 * past the support its `supportType` allows is refused, because EKS would upgrade the cluster by
 * itself.
 */
export function checkEks(env: EnvironmentConfig, now?: Date): FieldProblem[] {
  const { eks } = env;
  const problems: FieldProblem[] = [];
  const standing = now && supportStanding(eks.version, eks.supportType, now);
  if (standing?.kind === "unsupported") problems.push({ field: "eks.version", value: eks.version, message: unsupportedMessage(eks.version, standing) });
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
    const unknown = nodeGroupTypeProblems(`${field}.instanceTypes`, group.instanceTypes);
    problems.push(...unknown);
    // A type the table does not know has no architecture to compare: it gets its own message above.
    const arch = AMI_TYPES[group.amiType];
    const wrong = mismatchedInstanceTypes(group.instanceTypes.filter((t) => !unknown.some((u) => u.value === t)), group.amiType);
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

/** How to move on from a version: the next one, one minor version at a time. */
function upgradeAdvice(version: KubernetesVersion): string {
  const next = nextKubernetesVersion(version);
  return next ? `upgrade to ${next} (one minor version at a time: docs/how-to.md, "Upgrade Kubernetes")` : "upgrade to the next version once modules/eks/versions.ts lists it";
}

function unsupportedMessage(version: KubernetesVersion, standing: Extract<SupportStanding, { kind: "unsupported" }>): string {
  return standing.support === "standard"
    ? `left EKS standard support on ${standing.ended}: with eks.supportType STANDARD, EKS upgrades the cluster to the next version by itself, outside any reviewed change; ${upgradeAdvice(version)}, or set eks.supportType: EXTENDED to stay on it for now, billed at the extended-support rate`
    : `left EKS extended support on ${standing.ended}: EKS upgrades the cluster to the next version by itself, outside any reviewed change; ${upgradeAdvice(version)}`;
}

/**
 * Things worth saying about valid EKS config on a day: a version leaving standard support within
 * {@link SUPPORT_WARNING_DAYS} days, or running on paid extended support (said at every synth).
 */
export function eksWarnings(env: EnvironmentConfig, now: Date): FieldProblem[] {
  const { version, supportType } = env.eks;
  const standing = supportStanding(version, supportType, now);
  const warn = (message: string): FieldProblem[] => [{ field: "eks.version", value: version, message }];
  switch (standing.kind) {
    case "ending":
      return warn(
        standing.then === "auto-upgrade"
          ? `leaves EKS standard support on ${standing.ends} (in ${standing.days} days), when EKS upgrades the cluster by itself; ${upgradeAdvice(version)} before then, or set eks.supportType: EXTENDED, which costs more`
          : `leaves EKS standard support on ${standing.ends} (in ${standing.days} days); with eks.supportType EXTENDED it then runs on extended support, billed at a higher rate per cluster-hour: ${upgradeAdvice(version)}`,
      );
    case "extended":
      return warn(`runs on EKS extended support (since ${standing.since}), billed at a higher rate per cluster-hour, until ${standing.ends} (in ${standing.days} days); ${upgradeAdvice(version)}`);
    default:
      return [];
  }
}
