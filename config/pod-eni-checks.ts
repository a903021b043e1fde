import { EC2_FAMILIES, EC2_FAMILY_NAMES, EC2_SIZE_NAMES } from "../modules/instance-types/ec2";
import { POD_ENI_TABLE_DATE, podEniCapacity } from "../modules/instance-types/pod-eni";
import { type FieldProblem } from "./checks";
import { instanceTypeProblem } from "./instance-checks";
import { APPS_NODE_GROUP, nodeGroupRole } from "./node-groups";
import { karpenterSettings } from "./platform-schema";
import { type EnvironmentConfig } from "./schema";

/**
 * Every service's pods get a security group of their own (security groups for pods:
 * docs/security-groups-for-pods.md), on a branch network interface of their node's trunk
 * interface. Only trunking-compatible instance types have branch interfaces: no t2, t3, t3a or
 * t4g, no Xen type (EKS user guide, "Security groups for Pods"), and the count per type caps how
 * many such pods a node runs (modules/instance-types/pod-eni.ts). A pod that asks for one on a
 * node without them never starts (`Insufficient vpc.amazonaws.com/pod-eni`), so every node that
 * can run a service's pods must have them: the managed groups the services select
 * (`platform/node-group: apps`: the apps group, or the shared one) and every Karpenter NodePool.
 * Karpenter picks only types with branch interfaces left for such a pod (karpenter-provider-aws
 * pkg/providers/instancetype/types.go, `vpc.amazonaws.com/pod-eni`): a pool's categories need no
 * check, but families of which no size has any would never launch a node for the services.
 */

/** Types offered instead, with their branch interfaces (what one node of them holds). */
const ALLOWED = "a Nitro type with branch interfaces, such as m7g.large (9 pods with a group of their own per node), c7i.large (9) or m7g.xlarge (18)";
const TABLE = `the table of branch interfaces (modules/instance-types/pod-eni.ts, upstream's of ${POD_ENI_TABLE_DATE})`;
const WHY = "each service's pods get its security group on a branch interface (docs/security-groups-for-pods.md)";

/** Problems of the node groups and NodePools that run the services' pods. */
export function checkPodEni(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, group] of Object.entries(env.eks.nodeGroups)) {
    if (nodeGroupRole(name, group) !== APPS_NODE_GROUP) continue;
    group.instanceTypes.forEach((instanceType, i) => {
      const field = `eks.nodeGroups.${name}.instanceTypes.${i}`;
      // A type the EC2 table does not know is reported by its own check.
      if (instanceTypeProblem(instanceType) !== undefined) return;
      const capacity = podEniCapacity(instanceType);
      if (capacity === 0) {
        problems.push({ field, value: instanceType, message: `has no branch network interfaces (it is not trunking compatible: no t2, t3, t3a or t4g type, and no Xen type, is), but the ${name} group runs the services' pods, and ${WHY}: they would never start on it; allowed: ${ALLOWED}` });
      } else if (capacity === undefined) {
        problems.push({ field, value: instanceType, message: `is not in ${TABLE}: it is unknown whether its nodes have branch interfaces, which the services' pods need (docs/security-groups-for-pods.md); allowed: ${ALLOWED}` });
      }
    });
  }
  if (!env.eks.karpenter) return problems;
  for (const [pool, config] of Object.entries(karpenterSettings(env.platform).nodePools)) {
    config.families?.forEach((family, i) => {
      if (!EC2_FAMILY_NAMES.includes(family)) return;
      // The pool's sizes, else the family's (every size name, for a family known by name only).
      const sizes = config.sizes ?? (EC2_FAMILIES[family] ? Object.keys(EC2_FAMILIES[family].sizes) : EC2_SIZE_NAMES);
      const counts = sizes.map((size) => podEniCapacity(`${family}.${size}`));
      if (counts.some((n) => (n ?? 0) > 0)) return;
      const field = `platform.karpenter.nodePools.${pool}.families.${i}`;
      const among = config.sizes ? ` in the pool's sizes (${config.sizes.join(", ")})` : "";
      if (counts.every((n) => n === undefined)) {
        problems.push({ field, value: family, message: `is not in ${TABLE}${among}: it is unknown whether its nodes have branch interfaces, which the services' pods need (docs/security-groups-for-pods.md); allowed: a family the table lists with branch interfaces, such as m7g, c7g, r7g, m7i or m8g` });
      } else {
        problems.push({ field, value: family, message: `has no size with branch network interfaces${among}: Karpenter would launch none of its types for the services' pods, since ${WHY}; allowed: a trunking-compatible family, such as m7g, c7g, r7g, m7i or m8g (no t family)` });
      }
    });
  }
  return problems;
}
