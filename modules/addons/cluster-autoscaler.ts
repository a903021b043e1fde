import { Construct } from "constructs";
import { type KubernetesVersion } from "../eks/versions";
import { type ChartRelease } from "../helm/chart-release";
import { autoDiscoveryTags } from "../iam/policies/cluster-autoscaler";
import { addonRelease, type WorkloadAddonProps, type ChartSource, placementOf, roleAnnotations } from "./addon";
import { CLUSTER_AUTOSCALER_IMAGE_TAGS } from "./cluster-autoscaler-builds";

export { CLUSTER_AUTOSCALER_IMAGE_TAGS } from "./cluster-autoscaler-builds";

/**
 * The pinned chart (no CRDs), in kube-system as upstream's own manifests run it
 * (cluster-autoscaler/cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml), beside
 * the other controllers EKS puts there; its role trusts this service account.
 */
export const CLUSTER_AUTOSCALER_CHART: ChartSource = { chart: "cluster-autoscaler", repository: "https://kubernetes.github.io/autoscaler", version: "9.59.0", namespace: "kube-system" };

/** Its service account: named here, so the role of `<env>-iam` trusts exactly it. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/** Props of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerProps extends WorkloadAddonProps {
  /** The cluster: auto-discovery finds the node groups' Auto Scaling groups by its tag. */
  readonly clusterName: string;
  /** The cluster's Kubernetes version: it picks the autoscaler build. */
  readonly kubernetesVersion: KubernetesVersion;
  readonly region: string;
}

/**
 * The Cluster Autoscaler, for clusters without Karpenter: adds nodes to a managed node group when
 * pods are pending for want of room, and removes under-used ones, always within each group's
 * min and max. It finds the groups by the tags EKS puts on every managed group's Auto Scaling
 * group, `k8s.io/cluster-autoscaler/enabled` and `k8s.io/cluster-autoscaler/<cluster>` ("nodes
 * launched as part of a managed node group are automatically tagged for auto-discovery by the
 * Kubernetes Cluster Autoscaler", Amazon EKS User Guide, managed-node-groups.html); the tags of
 * `aws_eks_node_group` itself never reach that group (aws/containers-roadmap#608), so none are
 * set here. Two replicas (one leads, by leader election) on the system nodes, with the chart's PDB.
 * @see https://github.com/kubernetes/autoscaler/blob/cluster-autoscaler-1.35.2/cluster-autoscaler/cloudprovider/aws/README.md
 */
export class ClusterAutoscaler extends Construct {
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const tag = CLUSTER_AUTOSCALER_IMAGE_TAGS[props.kubernetesVersion];
    if (!tag) throw new Error(`${this.node.path}: no Cluster Autoscaler build is pinned for Kubernetes ${props.kubernetesVersion} (pinned: ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")})`);
    this.release = addonRelease(this, "release", CLUSTER_AUTOSCALER_CHART, {
      cloudProvider: "aws",
      awsRegion: props.region,
      // The chart's own default tags, given here so that they are the ones its policy is scoped by.
      autoDiscovery: { clusterName: props.clusterName, tags: [...autoDiscoveryTags(props.clusterName)] },
      image: { tag },
      replicaCount: 2,
      rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, annotations: roleAnnotations(props.identityMode, props.roleArn) } },
      extraArgs: {
        // least-waste: of the groups that fit the pending pods, the one whose new node is left
        // with the least idle CPU and memory (the groups differ in size: system, apps). The
        // priority expander would need a list of group names kept in step with config.
        expander: "least-waste",
        // Grow similar groups (same types, labels and taints) evenly, so a zone or type is never
        // favoured: the EKS user guide asks for it with the autoscaler (managed-node-groups.html,
        // as quoted in eksctl-io/eksctl#1571).
        "balance-similar-node-groups": true,
        // Never remove a node that runs kube-system pods (CoreDNS, metrics-server, this one): not
        // all of them have a PDB, and losing them drops DNS. The chart's default, said here.
        "skip-nodes-with-system-pods": true,
        // emptyDir is scratch space (the services' /tmp on a read-only root): with the default,
        // a node running any such pod would never be removed, so the groups would only grow.
        "skip-nodes-with-local-storage": false,
      },
      resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
      // As the chart's own commented defaults suggest: a non-root user, nothing writable.
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
      containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      ...placementOf(props),
    }, props);
  }
}
