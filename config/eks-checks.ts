import { CLUSTER_AUTOSCALER_IMAGE_TAGS } from "../modules/addons/cluster-autoscaler-builds";
import { AMI_TYPES, type KubernetesVersion, mismatchedInstanceTypes, nextKubernetesVersion, nodeCountProblem, type SupportStanding, supportStanding } from "../modules/eks/versions";
import { type FieldProblem } from "./checks";
import { nodeGroupTypeProblems } from "./instance-checks";
import { checkPodEni } from "./pod-eni-checks";
import { APPS_NODE_GROUP, clusterAutoscalerEnabled, clusterAutoscalerUnbuilt, hasSharedNodeGroup, SHARED_NODE_GROUP, SYSTEM_NODE_GROUP } from "./node-groups";
import { type EnvironmentConfig } from "./schema";

/** Node groups every cluster has: system add-ons, and applications (or, outside production, one shared group for both). */
export const REQUIRED_NODE_GROUPS = [SYSTEM_NODE_GROUP, APPS_NODE_GROUP] as const;

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
  problems.push(...nodeGroupShapeProblems(env), ...autoscalerProblems(env), ...checkPodEni(env));
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
  for (const name of [SYSTEM_NODE_GROUP, SHARED_NODE_GROUP]) {
    if (eks.nodeGroups[name]?.capacityType === "SPOT") {
      problems.push({ field: `eks.nodeGroups.${name}.capacityType`, value: "SPOT", message: `the ${name} group runs CoreDNS and the controllers and must not be interrupted; allowed: ON_DEMAND` });
    }
  }
  const system = eks.nodeGroups.system;
  if (system && env.production && system.size.min < 2) {
    problems.push({ field: "eks.nodeGroups.system.size.min", value: system.size.min, message: "a production cluster needs at least 2 system nodes, so one node failing does not take DNS and the controllers down; allowed: 2 or more" });
  }
  return problems;
}

/**
 * The groups a cluster must have: system and apps, or (outside production) shared alone, which
 * replaces both. Production keeps the add-ons on their own tainted group, so no application can
 * starve CoreDNS or the controllers.
 */
function nodeGroupShapeProblems(env: EnvironmentConfig): FieldProblem[] {
  const groups = Object.keys(env.eks.nodeGroups);
  if (!hasSharedNodeGroup(env)) {
    return REQUIRED_NODE_GROUPS.filter((name) => !groups.includes(name)).map((name) => ({
      field: `eks.nodeGroups.${name}`,
      message: `is required: every cluster has a "system" group for add-ons and an "apps" group for workloads, or, outside production, one "${SHARED_NODE_GROUP}" group for both`,
    }));
  }
  const field = `eks.nodeGroups.${SHARED_NODE_GROUP}`;
  if (env.production) {
    return [{ field, message: `a production cluster keeps CoreDNS and the controllers on their own system group, tainted CriticalAddonsOnly, so that no application can starve them; allowed: a "system" group and an "apps" group instead` }];
  }
  const alongside = REQUIRED_NODE_GROUPS.filter((name) => groups.includes(name));
  return alongside.length
    ? [{ field, value: alongside, message: `replaces the system and apps groups (one group for the add-ons and the services), so it cannot be given with them; remove it, or remove ${alongside.join(" and ")}` }]
    : [];
}

/** The Cluster Autoscaler: never together with Karpenter, and only on a Kubernetes version it has a build pinned for. */
function autoscalerProblems(env: EnvironmentConfig): FieldProblem[] {
  const { eks } = env;
  if (eks.clusterAutoscaler && eks.karpenter) {
    return [{ field: "eks.clusterAutoscaler", value: true, message: "cannot run together with Karpenter: both would add nodes for the same pending pods; allowed: false (or leave it out) with eks.karpenter: true, or turn eks.karpenter off" }];
  }
  if (eks.clusterAutoscaler && !env.platform) {
    return [{ field: "eks.clusterAutoscaler", value: true, message: "runs in <env>-platform with the other add-ons, which needs a platform section; add one, or leave eks.clusterAutoscaler out" }];
  }
  if (!clusterAutoscalerEnabled(env) || CLUSTER_AUTOSCALER_IMAGE_TAGS[eks.version]) return [];
  const known = Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ");
  return [
    {
      field: "eks.version",
      value: eks.version,
      message: `has no Cluster Autoscaler build pinned, and eks.clusterAutoscaler is true (upstream builds one per Kubernetes minor version); allowed: ${known} (the builds modules/addons/cluster-autoscaler-builds.ts pins), or eks.clusterAutoscaler: false, which leaves the managed groups at the size config gives them`,
    },
  ];
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
  return [...versionWarnings(env, now), ...sharedGroupWarnings(env), ...unbuiltAutoscalerWarnings(env), ...transitionWarnings(env)];
}

/** The data stores still admit every pod of the cluster: meant for one upgrade, not for good. */
function transitionWarnings(env: EnvironmentConfig): FieldProblem[] {
  if (!env.eks.nodesReachDataStores) return [];
  return [
    {
      field: "eks.nodesReachDataStores",
      value: true,
      message: "keeps the databases and brokers open to the nodes' security group, so every pod of the cluster reaches them as before pods had groups of their own: remove it once every service's pods have restarted with their SecurityGroupPolicy (docs/security-groups-for-pods.md, \"Upgrading a running environment\")",
    },
  ];
}

/** Karpenter off, and no autoscaler build for the version: nothing adds nodes. */
function unbuiltAutoscalerWarnings(env: EnvironmentConfig): FieldProblem[] {
  if (!clusterAutoscalerUnbuilt(env)) return [];
  const known = Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ");
  return [
    {
      field: "eks.version",
      value: env.eks.version,
      message: `has no Cluster Autoscaler build pinned (${known} do), so with eks.karpenter off nothing adds nodes for pending pods: the managed groups stay at the size config gives them; upgrade Kubernetes, or set eks.clusterAutoscaler: false to say that is meant`,
    },
  ];
}

/** What a shared group gives up: said at every synth, so nobody takes it for the production shape. */
function sharedGroupWarnings(env: EnvironmentConfig): FieldProblem[] {
  if (!hasSharedNodeGroup(env)) return [];
  return [
    {
      field: `eks.nodeGroups.${SHARED_NODE_GROUP}`,
      message:
        "runs the add-ons and the services on the same nodes, with no CriticalAddonsOnly taint: the add-ons compete with application pods for CPU and memory, and a noisy application can starve CoreDNS and the controllers (load balancer, External Secrets, the autoscaler); " +
        'fine for a small cluster outside production, which requires separate "system" and "apps" groups',
    },
  ];
}

function versionWarnings(env: EnvironmentConfig, now: Date): FieldProblem[] {
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
