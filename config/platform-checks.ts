import { requirementProblem } from "../k8s/crds/karpenter-labels";
import { AMI_TYPES } from "../modules/eks/versions";
import { familyArchitecture as ec2FamilyArchitecture } from "../modules/instance-types/ec2";
import { type FieldProblem } from "./checks";
import { nodePoolNameProblems } from "./instance-checks";
import { nodeGroupRole } from "./node-groups";
import { type Architecture, ARCHITECTURES, karpenterSettings } from "./platform-schema";
import { type EnvironmentConfig } from "./schema";

/** The node label application pods select: the managed apps group's (and a small cluster's shared group's), and every Karpenter node's. */
export const APPS_NODE_LABEL = { key: "platform/node-group", value: "apps" } as const;

/** Requirement keys a NodePool sets from its own fields; a raw requirement on them would contradict those. */
const FIELD_KEYS: Readonly<Record<string, string>> = {
  "kubernetes.io/arch": "architectures",
  "karpenter.sh/capacity-type": "capacityTypes",
  "karpenter.k8s.aws/instance-family": "families",
  "karpenter.k8s.aws/instance-category": "categories",
  "karpenter.k8s.aws/instance-generation": "minGeneration",
  "karpenter.k8s.aws/instance-size": "sizes",
};

/** The CPU architecture of an instance family (c6g → arm64, m6i → amd64), as Kubernetes names it; undefined for a family the table does not know. */
function familyArchitecture(family: string): Architecture | undefined {
  const arch = ec2FamilyArchitecture(family);
  return arch && (arch === "arm64" ? "arm64" : "amd64");
}

/** Checks of the platform section that need more than one field, or the eks section too. */
export function checkPlatform(env: EnvironmentConfig): FieldProblem[] {
  const platform = env.platform;
  if (!platform) return [];
  const problems: FieldProblem[] = [];
  if (platform.karpenter && !env.eks.karpenter) {
    problems.push({ field: "platform.karpenter", message: "configures Karpenter's nodes, but Karpenter is off: set eks.karpenter: true (its role and interruption queue), or remove this section" });
  }
  if (!env.eks.karpenter) return problems;
  const karpenter = karpenterSettings(platform);
  if (env.production && karpenter.amiAlias.endsWith("@latest")) {
    problems.push({
      field: "platform.karpenter.amiAlias",
      value: karpenter.amiAlias,
      message: "would replace every Karpenter node of production at each AMI release, untested (Karpenter's docs advise against it); pin the release tested in the environments before, such as al2023@v20261012",
    });
  }
  const pools = Object.entries(karpenter.nodePools);
  if (pools.length === 0) problems.push({ field: "platform.karpenter.nodePools", message: "lists no NodePool: Karpenter would launch nothing; leave the key out for the default pools, or name at least one" });
  for (const [name, pool] of pools) {
    const field = `platform.karpenter.nodePools.${name}`;
    problems.push(...nodePoolNameProblems(field, pool));
    for (const family of pool.families ?? []) {
      const arch = familyArchitecture(family);
      if (arch && !pool.architectures.includes(arch)) {
        problems.push({ field: `${field}.families`, value: family, message: `is an ${arch} family, but the pool launches ${pool.architectures.join(", ")} only; move it to a pool of that architecture, or add it to architectures` });
      }
    }
    if (pool.families?.length) {
      for (const arch of pool.architectures) {
        if (pool.families.every((f) => familyArchitecture(f) !== undefined && familyArchitecture(f) !== arch)) problems.push({ field: `${field}.architectures`, value: arch, message: `has no family of that architecture in families (${pool.families.join(", ")}), so the pool could never launch it` });
      }
    }
    pool.requirements.forEach((requirement, i) => {
      const own = FIELD_KEYS[requirement.key];
      const problem = own ? `key ${requirement.key} is set by the pool's ${own}; set it there` : requirementProblem(requirement);
      if (problem) problems.push({ field: `${field}.requirements.${i}`, value: requirement, message: problem });
    });
    pool.disruption.budgets.forEach((budget, i) => {
      if ((budget.schedule === undefined) !== (budget.duration === undefined)) {
        problems.push({ field: `${field}.disruption.budgets.${i}`, value: budget, message: "needs schedule and duration together (a budget with one of them is refused by Karpenter), or neither for a budget that always applies" });
      }
    });
  }
  return problems;
}

/**
 * The architectures nodes for application pods come in: the managed node groups labelled as
 * the apps group, and Karpenter's NodePools (when Karpenter runs with the platform).
 */
export function appArchitectures(env: EnvironmentConfig): Architecture[] {
  const groups = Object.entries(env.eks.nodeGroups)
    .filter(([name, group]) => nodeGroupRole(name, group) === APPS_NODE_LABEL.value)
    .map(([, group]) => (AMI_TYPES[group.amiType] === "arm64" ? "arm64" : "amd64"));
  const pools = env.eks.karpenter && env.platform ? Object.values(karpenterSettings(env.platform).nodePools).flatMap((p) => p.architectures) : [];
  return ARCHITECTURES.filter((arch) => [...groups, ...pools].includes(arch));
}
