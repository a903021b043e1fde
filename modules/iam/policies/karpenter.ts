import { type PolicyStatement } from "../policy-document";

/** What Karpenter's controller policy is scoped to. */
export interface KarpenterScope {
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  /** ARN of the cluster (for endpoint discovery). */
  readonly clusterArn: string;
  /** ARN of the node role it passes to instances. */
  readonly nodeRoleArn: string;
  /** ARN of its interruption queue. */
  readonly queueArn: string;
}

/**
 * Karpenter's controller policy (v1, as its getting-started CloudFormation template has it):
 * launch only into this cluster's tagged resources, delete only what it tagged, pass only the
 * node role, manage only instance profiles it tagged, read its interruption queue.
 * @see https://karpenter.sh/docs/reference/cloudformation/
 */
export function karpenterControllerStatements(s: KarpenterScope): PolicyStatement[] {
  const ec2 = (r: string) => `arn:aws:ec2:${s.region}:*:${r}`;
  const own = `aws:ResourceTag/kubernetes.io/cluster/${s.clusterName}`;
  const ownRequest = `aws:RequestTag/kubernetes.io/cluster/${s.clusterName}`;
  const region = { "aws:RequestedRegion": s.region };
  return [
    { Sid: "AllowScopedEC2InstanceAccessActions", Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet"], Resource: [ec2("image/*"), ec2("snapshot/*"), ec2("security-group/*"), ec2("subnet/*")] },
    {
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Resource: ec2("launch-template/*"),
      Condition: { StringEquals: { [own]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Resource: ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2),
      Condition: { StringEquals: { [ownRequest]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName }, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2),
      Condition: { StringEquals: { [ownRequest]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] }, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: ec2("instance/*"),
      Condition: { StringEquals: { [own]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" }, "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] } },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Resource: [ec2("instance/*"), ec2("launch-template/*")],
      Condition: { StringEquals: { [own]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Action: ["AvailabilityZones", "Images", "Instances", "InstanceTypeOfferings", "InstanceTypes", "LaunchTemplates", "SecurityGroups", "SpotPriceHistory", "Subnets"].map((x) => `ec2:Describe${x}`),
      Resource: "*",
      Condition: { StringEquals: region },
    },
    { Sid: "AllowSSMReadActions", Effect: "Allow", Action: "ssm:GetParameter", Resource: `arn:aws:ssm:${s.region}::parameter/aws/service/*` },
    { Sid: "AllowPricingReadActions", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
    { Sid: "AllowInterruptionQueueActions", Effect: "Allow", Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], Resource: s.queueArn },
    { Sid: "AllowPassingInstanceRole", Effect: "Allow", Action: "iam:PassRole", Resource: s.nodeRoleArn, Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } } },
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Action: ["iam:CreateInstanceProfile", "iam:TagInstanceProfile"],
      Resource: `arn:aws:iam::${s.accountId}:instance-profile/*`,
      Condition: { StringEquals: { [ownRequest]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName, "aws:RequestTag/topology.kubernetes.io/region": s.region }, StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      Resource: `arn:aws:iam::${s.accountId}:instance-profile/*`,
      Condition: { StringEquals: { [own]: "owned", "aws:ResourceTag/topology.kubernetes.io/region": s.region }, StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
    },
    { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Action: "iam:GetInstanceProfile", Resource: `arn:aws:iam::${s.accountId}:instance-profile/*` },
    { Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Action: "eks:DescribeCluster", Resource: s.clusterArn },
  ];
}
