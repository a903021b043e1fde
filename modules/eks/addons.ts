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
  /**
   * The cluster role's AmazonEKSVPCResourceController attachment: vpc-cni turns pod ENIs on only
   * once the controller may make the trunk and branch interfaces (EKS user guide,
   * security-groups-pods-deployment: the policy first, then `ENABLE_POD_ENI`).
   */
  readonly podEniPermission: ITerraformDependable;
}

/**
 * vpc-cni's configuration (the add-on takes the aws-vpc-cni chart's values: `env` is the aws-node
 * container's environment). Network policy enforcement, which the platform's NetworkPolicies need;
 * pod ENIs (`ENABLE_POD_ENI`), so that each service's pods get the security group of its
 * SecurityGroupPolicy on a branch interface; and the `standard` enforcing mode, in which a pod's
 * traffic on its own node and out of the VPC stays the node's. `strict`, the default, would
 * route all of a pod's traffic through its branch interface: NetworkPolicies would no longer
 * apply to those pods (aws/aws-eks-best-practices, networking/sgpp: "use standard enforcing mode
 * when using network policy"), the EKS Pod Identity agent on the node would be out of their reach
 * (aws/amazon-vpc-resource-controller-k8s#618), and kubelet's probes would need a rule of their own.
 * amazon-vpc-cni-k8s README, "CNI Configuration Variables": `ENABLE_POD_ENI` (v1.7.0+),
 * `POD_SECURITY_GROUP_ENFORCING_MODE` (v1.11.0+); both pinned versions are later. The same README
 * asks, with `ENABLE_POD_ENI`, for `DISABLE_TCP_EARLY_DEMUX` on the init container "for the kubelet
 * to connect via TCP (for liveness or readiness probes) to pods that are using per pod security
 * groups", naming no mode: set, since every service has HTTP probes (the add-on's `init.env`, as
 * the chart's values have it).
 */
export const VPC_CNI_CONFIGURATION = {
  enableNetworkPolicy: "true",
  env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" },
  init: { env: { DISABLE_TCP_EARLY_DEMUX: "true" } },
} as const;

/**
 * The managed add-ons every cluster runs, at the versions pinned in `versions.ts`: vpc-cni (with
 * network policy enforcement and pods' own security groups: {@link VPC_CNI_CONFIGURATION}), kube-proxy, the Pod
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
      "vpc-cni": addon("vpc-cni", { serviceAccountRoleArn: cni.arn, configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION), dependsOn: [props.podEniPermission] }),
      "kube-proxy": addon("kube-proxy"),
      "eks-pod-identity-agent": addon("eks-pod-identity-agent"),
      coredns: addon("coredns", { dependsOn: [...props.nodeGroups] }),
      "aws-ebs-csi-driver": addon("aws-ebs-csi-driver", { serviceAccountRoleArn: ebs.arn, dependsOn: [...props.nodeGroups] }),
    };
  }
}
