import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Construct } from "constructs";
import { type AmiType, mismatchedInstanceTypes, nodeCountProblem } from "./versions";

/** A taint on the nodes of a group. */
export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

/** Props of {@link NodeGroup}. */
export interface NodeGroupProps {
  /** The cluster's name. */
  readonly clusterName: string;
  /** Group name, unique in the cluster. */
  readonly name: string;
  /** ARN of the node role. */
  readonly nodeRoleArn: string;
  /** Subnets of the nodes (the private tier). */
  readonly subnetIds: readonly string[];
  /** Instance types, in order of preference. */
  readonly instanceTypes: readonly string[];
  /** Amazon Linux 2023 on x86 or Graviton. */
  readonly amiType: AmiType;
  /**
   * The nodes' Kubernetes version: the cluster's. Without it the group keeps the version it was
   * created with, and Terraform sees no drift when the cluster is upgraded, so the nodes stay behind.
   */
  readonly version: string;
  /**
   * ON_DEMAND or SPOT.
   * @default "ON_DEMAND"
   */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  /** Node counts: `desired` at creation, then as {@link NodeGroupProps.autoscaled} says. */
  readonly size: { readonly min: number; readonly desired: number; readonly max: number };
  /**
   * Whether the Cluster Autoscaler scales the group. Then it owns `desired_size` (between min and
   * max), and Terraform ignores changes to it after creation, so that an apply never resets what
   * the autoscaler chose. Otherwise nothing else sizes the group (Karpenter launches nodes of its
   * own), and Terraform keeps it at `size.desired`.
   * @default false
   */
  readonly autoscaled?: boolean;
  /**
   * Share of nodes replaced at once during an update.
   * @default 33
   */
  readonly maxUnavailablePercentage?: number;
  /**
   * Root volume size in GiB (gp3, encrypted).
   * @default 50
   */
  readonly diskSizeGiB?: number;
  /**
   * Kubernetes labels.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Taints.
   * @default - none
   */
  readonly taints?: readonly NodeTaint[];
}

/**
 * A managed node group with a launch template of its own: IMDSv2 required with a hop limit of 1
 * (pods get AWS credentials through IRSA or Pod Identity, so they must not reach the node's
 * metadata service and its role; a hop limit of 1 stops a pod's packets at the node), an
 * encrypted gp3 root volume, no SSH key (nodes are reached through SSM), node auto-repair, and,
 * when the Cluster Autoscaler scales it, `desired_size` ignored after creation so Terraform never
 * fights the autoscaler. (EKS tags the group's Auto Scaling group for the autoscaler's
 * auto-discovery itself: modules/addons/cluster-autoscaler.ts.)
 */
export class NodeGroup extends Construct {
  /** The node group. */
  readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const { min, desired, max } = props.size;
    const sizeProblem = nodeCountProblem(props.size);
    if (sizeProblem) throw new Error(`${this.node.path}: size ${sizeProblem}`);
    if (props.instanceTypes.length === 0) throw new Error(`${this.node.path}: instanceTypes must list at least one instance type`);
    const mismatched = mismatchedInstanceTypes(props.instanceTypes, props.amiType);
    if (mismatched.length) throw new Error(`${this.node.path}: instance types ${mismatched.join(", ")} do not run ${props.amiType}`);
    const template = new LaunchTemplate(this, "launch-template", {
      name: `${props.clusterName}-${props.name}`,
      description: `Nodes of ${props.clusterName}/${props.name}: IMDSv2 only, encrypted gp3, no SSH`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: props.diskSizeGiB ?? 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
      ],
      tagSpecifications: [{ resourceType: "instance", tags: { Name: `${props.clusterName}-${props.name}` } }],
    });
    this.nodeGroup = new EksNodeGroup(this, "Default", {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      instanceTypes: [...props.instanceTypes],
      amiType: props.amiType,
      version: props.version,
      capacityType: props.capacityType ?? "ON_DEMAND",
      scalingConfig: { minSize: min, desiredSize: desired, maxSize: max },
      updateConfig: { maxUnavailablePercentage: props.maxUnavailablePercentage ?? 33 },
      labels: props.labels && Object.keys(props.labels).length ? { ...props.labels } : undefined,
      taint: props.taints?.length ? props.taints.map((t) => ({ key: t.key, value: t.value || undefined, effect: t.effect })) : undefined,
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      nodeRepairConfig: { enabled: true },
      lifecycle: props.autoscaled ? { ignoreChanges: ["scaling_config[0].desired_size"] } : undefined,
    });
  }
}
