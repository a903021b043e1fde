import { type PolicyStatement } from "../policy-document";

/** What Karpenter's controller policy is scoped to. */
export interface KarpenterScope {
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  /** ARN of the node role it passes to instances. */
  readonly nodeRoleArn: string;
  /** ARN of its interruption queue. */
  readonly queueArn: string;
}

/**
 * Karpenter's controller policy, statement for statement the six policies of its v1.14.1
 * getting-started CloudFormation template (NodeLifecycle, IAMIntegration, EKSIntegration,
 * Interruption, ZonalShift, ResourceDiscovery) with their scoping conditions: launch only into
 * this cluster's tagged resources, delete only what it tagged, pass only the node role, manage
 * only instance profiles it tagged, read its interruption queue. A test compares it with the
 * upstream template (../shared/reference/iam), so a chart bump shows every difference.
 * @see https://karpenter.sh/v1.14/reference/cloudformation/
 */
export function karpenterControllerStatements(s: KarpenterScope): PolicyStatement[] {
  const ec2 = (r: string) => `arn:aws:ec2:${s.region}:*:${r}`;
  // AMIs and snapshots are owned by no account of the caller's: upstream leaves the account out.
  const ec2Public = (r: string) => `arn:aws:ec2:${s.region}::${r}`;
  // Known from the name, as upstream builds it: no remote-state read needed.
  const clusterArn = `arn:aws:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`;
  const own = `aws:ResourceTag/kubernetes.io/cluster/${s.clusterName}`;
  const ownRequest = `aws:RequestTag/kubernetes.io/cluster/${s.clusterName}`;
  const taggedKinds = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2);
  const instanceProfiles = `arn:aws:iam::${s.accountId}:instance-profile/*`;
  return [
    // NodeLifecyclePolicy
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Resource: [ec2Public("image/*"), ec2Public("snapshot/*"), ec2("security-group/*"), ec2("subnet/*"), ec2("capacity-reservation/*"), ec2("placement-group/*")],
    },
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
      Resource: taggedKinds,
      Condition: { StringEquals: { [ownRequest]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName }, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: taggedKinds,
      Condition: { StringEquals: { [ownRequest]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] }, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: ec2("instance/*"),
      Condition: {
        StringEquals: { [own]: "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": s.clusterName },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Resource: [ec2("instance/*"), ec2("launch-template/*")],
      Condition: { StringEquals: { [own]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
    },
    // IAMIntegrationPolicy
    { Sid: "AllowPassingInstanceRole", Effect: "Allow", Action: "iam:PassRole", Resource: s.nodeRoleArn, Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } } },
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Action: "iam:CreateInstanceProfile",
      Resource: instanceProfiles,
      Condition: { StringEquals: { [ownRequest]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName, "aws:RequestTag/topology.kubernetes.io/region": s.region }, StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
    },
    {
      Sid: "AllowScopedInstanceProfileTagActions",
      Effect: "Allow",
      Action: "iam:TagInstanceProfile",
      Resource: instanceProfiles,
      Condition: {
        StringEquals: {
          [own]: "owned",
          "aws:ResourceTag/topology.kubernetes.io/region": s.region,
          [ownRequest]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
          "aws:RequestTag/topology.kubernetes.io/region": s.region,
        },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      Resource: instanceProfiles,
      Condition: { StringEquals: { [own]: "owned", "aws:ResourceTag/topology.kubernetes.io/region": s.region }, StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
    },
    // EKSIntegrationPolicy: the cluster's endpoint (also what the zonal-shift check needs).
    { Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Action: "eks:DescribeCluster", Resource: clusterArn },
    // InterruptionPolicy
    { Sid: "AllowInterruptionQueueActions", Effect: "Allow", Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], Resource: s.queueArn },
    // ZonalShiftPolicy: whether ARC has shifted traffic away from a zone, so no node launches there.
    { Sid: "AllowZonalShiftStatusReadOnly", Effect: "Allow", Action: "arc-zonal-shift:GetManagedResource", Resource: "*", Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } } },
    // ResourceDiscoveryPolicy
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Action: ["CapacityReservations", "Images", "Instances", "InstanceStatus", "InstanceTypeOfferings", "InstanceTypes", "LaunchTemplates", "PlacementGroups", "SecurityGroups", "SpotPriceHistory", "Subnets"].map((x) => `ec2:Describe${x}`),
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": s.region } },
    },
    { Sid: "AllowSSMReadActions", Effect: "Allow", Action: "ssm:GetParameter", Resource: `arn:aws:ssm:${s.region}::parameter/aws/service/*` },
    { Sid: "AllowPricingReadActions", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
    // Listing takes no resource: IAM cannot scope ListInstanceProfiles.
    { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Action: "iam:ListInstanceProfiles", Resource: "*" },
    { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Action: "iam:GetInstanceProfile", Resource: instanceProfiles },
  ];
}
