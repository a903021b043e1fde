import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { MANAGED_POLICIES } from "../iam/managed-policies";
import { type WorkloadCluster, WorkloadRole } from "../iam/workload-role";
import { type AddonName, KUBERNETES_VERSIONS, type KubernetesVersion } from "./versions";

/** Props of {@link Addons}. */
export interface AddonsProps {
  /** The cluster, for the add-ons and their IRSA roles. */
  readonly cluster: WorkloadCluster;
  /** The cluster's Kubernetes version: the add-on versions are pinned per version. */
  readonly version: KubernetesVersion;
  /** Prefix of the add-on roles' names (`<env>-`). */
  readonly rolePrefix: string;
  /** The environment's permissions boundary. */
  readonly permissionsBoundaryArn: string;
  /**
   * The node groups: CoreDNS and the EBS CSI driver are created after them, so their pods have
   * somewhere to run and the add-ons never sit DEGRADED.
   */
  readonly nodeGroups: readonly ITerraformDependable[];
}

/**
 * The managed add-ons every cluster runs, at the versions pinned in `versions.ts`: vpc-cni (with
 * network policy enforcement, which the platform's NetworkPolicies need), kube-proxy, the Pod
 * Identity agent, CoreDNS and the EBS CSI driver. The two that call AWS get least-privilege IRSA
 * roles of their own; the CNI policy is on vpc-cni's role, never on the node role.
 */
export class Addons extends Construct {
  /** The add-ons by name. */
  readonly addons: Readonly<Record<AddonName, EksAddon>>;

  constructor(scope: Construct, id: string, props: AddonsProps) {
    super(scope, id);
    const versions = KUBERNETES_VERSIONS[props.version].addons;
    const irsa = (name: string, serviceAccount: string, policyArn: string) =>
      new WorkloadRole(this, `${name}-role`, {
        name: `${props.rolePrefix}${name}`,
        description: `The ${name} add-on (kube-system/${serviceAccount})`,
        namespace: "kube-system",
        serviceAccount,
        cluster: props.cluster,
        permissionsBoundaryArn: props.permissionsBoundaryArn,
        managedPolicyArns: [policyArn],
      });
    const addon = (name: AddonName, extra: { serviceAccountRoleArn?: string; configurationValues?: string; dependsOn?: ITerraformDependable[] } = {}) =>
      new EksAddon(this, name, {
        clusterName: props.cluster.name,
        addonName: name,
        addonVersion: versions[name],
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        ...extra,
      });
    const cni = irsa("vpc-cni", "aws-node", MANAGED_POLICIES.eksCni);
    const ebs = irsa("ebs-csi", "ebs-csi-controller-sa", MANAGED_POLICIES.ebsCsiDriver);
    this.addons = {
      "vpc-cni": addon("vpc-cni", { serviceAccountRoleArn: cni.arn, configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }) }),
      "kube-proxy": addon("kube-proxy"),
      "eks-pod-identity-agent": addon("eks-pod-identity-agent"),
      coredns: addon("coredns", { dependsOn: [...props.nodeGroups] }),
      "aws-ebs-csi-driver": addon("aws-ebs-csi-driver", { serviceAccountRoleArn: ebs.arn, dependsOn: [...props.nodeGroups] }),
    };
  }
}
