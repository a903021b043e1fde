import { type PolicyStatement } from "../policy-document";

/** What the Cluster Autoscaler's policy is scoped to. */
export interface ClusterAutoscalerScope {
  readonly region: string;
  readonly accountId: string;
  /** The cluster whose node groups it may scale. */
  readonly clusterName: string;
}

/** The tags auto-discovery finds a cluster's Auto Scaling groups by; EKS sets both on every managed node group's. */
export function autoDiscoveryTags(clusterName: string): readonly string[] {
  return ["k8s.io/cluster-autoscaler/enabled", `k8s.io/cluster-autoscaler/${clusterName}`];
}

/**
 * The Cluster Autoscaler's policy: upstream's "Full Cluster Autoscaler Features Policy
 * (Recommended)" of cluster-autoscaler 1.35.2, action for action, its reads on "*" as upstream
 * has them (the Describe calls take no resource). Upstream leaves the two writes on "*" too, and
 * "strongly recommends" restricting them by ASG ARNs or by tag conditions, updating only that
 * block (cluster-autoscaler/cloudprovider/aws/README.md, "IAM Policy"): here they reach only this
 * account's groups in this region that carry both auto-discovery tags, the second one naming this
 * cluster. Those are the groups auto-discovery manages, which looks for the keys whatever their
 * value (README, "Auto-Discovery Setup"), hence `StringLike` "*" rather than a value. Auto
 * Scaling groups take `aws:ResourceTag/<key>` on these actions (Service Authorization Reference,
 * Amazon EC2 Auto Scaling, resource type autoScalingGroup). A test compares the actions with the
 * upstream policy (../shared/reference/iam).
 * @see https://github.com/kubernetes/autoscaler/blob/cluster-autoscaler-1.35.2/cluster-autoscaler/cloudprovider/aws/README.md
 */
export function clusterAutoscalerStatements(s: ClusterAutoscalerScope): PolicyStatement[] {
  return [
    {
      Sid: "DiscoverNodeGroupsAndInstanceTypes",
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
        "eks:DescribeNodegroup",
      ],
      Resource: "*",
    },
    {
      Sid: "ScaleThisClustersNodeGroupsOnly",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: `arn:aws:autoscaling:${s.region}:${s.accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
      Condition: { StringLike: Object.fromEntries(autoDiscoveryTags(s.clusterName).map((tag) => [`aws:ResourceTag/${tag}`, "*"])) },
    },
  ];
}
