import { type PolicyStatement } from "../policy-document";

/** Where the AWS Load Balancer Controller works: its region, account and the environment's VPC. */
export interface LoadBalancerControllerScope {
  readonly region: string;
  readonly accountId: string;
  /** The VPC whose security groups it may create and edit. */
  readonly vpcId: string;
}

const CLUSTER_TAG_ON_REQUEST = "aws:RequestTag/elbv2.k8s.aws/cluster";
const CLUSTER_TAG_ON_RESOURCE = "aws:ResourceTag/elbv2.k8s.aws/cluster";

/**
 * The AWS Load Balancer Controller's published IAM policy (v3.5.0,
 * `docs/install/iam_policy.json` upstream), in code, with every action of it, and tighter:
 * ARNs carry this region and account instead of `*:*`, security groups are created only in this
 * VPC, and what upstream allows on `"*"` without a condition (listener and rule changes, WAF and
 * Shield associations) is scoped to load-balancer, listener, web ACL and protection ARNs.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/install/iam_policy.json
 */
export function loadBalancerControllerStatements(scope: LoadBalancerControllerScope): PolicyStatement[] {
  const { region, accountId, vpcId } = scope;
  const ec2 = (resource: string) => `arn:aws:ec2:${region}:${accountId}:${resource}`;
  const elb = (resource: string) => `arn:aws:elasticloadbalancing:${region}:${accountId}:${resource}`;
  const securityGroups = ec2("security-group/*");
  const loadBalancers = [elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")];
  const targetGroups = elb("targetgroup/*/*");
  const listeners = [elb("listener/net/*/*/*"), elb("listener/app/*/*/*")];
  const rules = [elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*")];
  return [
    { Sid: "ServiceLinkedRoleForElb", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: "*", Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } } },
    {
      Sid: "Discover",
      Effect: "Allow",
      Action: [
        ...["AccountAttributes", "Addresses", "AvailabilityZones", "InternetGateways", "Vpcs", "VpcPeeringConnections", "Subnets", "SecurityGroups", "Instances", "NetworkInterfaces", "Tags", "CoipPools", "IpamPools", "RouteTables"].map((x) => `ec2:Describe${x}`),
        "ec2:GetCoipPoolUsage",
        "ec2:GetSecurityGroupsForVpc",
        ...["LoadBalancers", "LoadBalancerAttributes", "Listeners", "ListenerCertificates", "SSLPolicies", "Rules", "TargetGroups", "TargetGroupAttributes", "TargetHealth", "Tags", "TrustStores", "ListenerAttributes", "CapacityReservation"].map(
          (x) => `elasticloadbalancing:Describe${x}`,
        ),
        "cognito-idp:DescribeUserPoolClient",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
        "iam:ListServerCertificates",
        "iam:GetServerCertificate",
        "waf-regional:GetWebACL",
        "waf-regional:GetWebACLForResource",
        "wafv2:GetWebACL",
        "wafv2:GetWebACLForResource",
        "shield:GetSubscriptionState",
        "shield:DescribeProtection",
      ],
      Resource: "*",
    },
    {
      Sid: "AssociateWafAndShield",
      Effect: "Allow",
      Action: ["waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "shield:CreateProtection", "shield:DeleteProtection"],
      Resource: [...loadBalancers, `arn:aws:wafv2:${region}:${accountId}:regional/webacl/*/*`, `arn:aws:waf-regional:${region}:${accountId}:webacl/*`, `arn:aws:shield::${accountId}:protection/*`],
    },
    { Sid: "EditSecurityGroupsOfThisVpc", Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], Resource: securityGroups, Condition: { StringEquals: { "ec2:Vpc": ec2(`vpc/${vpcId}`) } } },
    { Sid: "CreateSecurityGroupsInThisVpc", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: [securityGroups, ec2(`vpc/${vpcId}`)] },
    { Sid: "TagSecurityGroupsItCreates", Effect: "Allow", Action: "ec2:CreateTags", Resource: securityGroups, Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, Null: { [CLUSTER_TAG_ON_REQUEST]: "false" } } },
    { Sid: "RetagItsSecurityGroups", Effect: "Allow", Action: ["ec2:CreateTags", "ec2:DeleteTags"], Resource: securityGroups, Condition: { Null: { [CLUSTER_TAG_ON_REQUEST]: "true", [CLUSTER_TAG_ON_RESOURCE]: "false" } } },
    { Sid: "ManageItsSecurityGroups", Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"], Resource: securityGroups, Condition: { Null: { [CLUSTER_TAG_ON_RESOURCE]: "false" } } },
    { Sid: "CreateTaggedLoadBalancers", Effect: "Allow", Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"], Resource: [...loadBalancers, targetGroups], Condition: { Null: { [CLUSTER_TAG_ON_REQUEST]: "false" } } },
    { Sid: "ManageListenersAndRules", Effect: "Allow", Action: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"], Resource: [...loadBalancers, ...listeners, ...rules] },
    { Sid: "RetagItsLoadBalancers", Effect: "Allow", Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], Resource: [targetGroups, ...loadBalancers], Condition: { Null: { [CLUSTER_TAG_ON_REQUEST]: "true", [CLUSTER_TAG_ON_RESOURCE]: "false" } } },
    { Sid: "TagListenersAndRules", Effect: "Allow", Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], Resource: [...listeners, ...rules] },
    {
      Sid: "ManageItsLoadBalancers",
      Effect: "Allow",
      Action: [
        "ModifyLoadBalancerAttributes", "SetIpAddressType", "SetSecurityGroups", "SetSubnets", "DeleteLoadBalancer", "ModifyTargetGroup", "ModifyTargetGroupAttributes", "DeleteTargetGroup", "ModifyListenerAttributes", "ModifyCapacityReservation", "ModifyIpPools",
      ].map((a) => `elasticloadbalancing:${a}`),
      Resource: [...loadBalancers, targetGroups, ...listeners],
      Condition: { Null: { [CLUSTER_TAG_ON_RESOURCE]: "false" } },
    },
    { Sid: "TagOnCreate", Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: [targetGroups, ...loadBalancers], Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] }, Null: { [CLUSTER_TAG_ON_REQUEST]: "false" } } },
    { Sid: "RegisterTargets", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: targetGroups },
    {
      Sid: "ListenerCertificatesRulesAndWaf",
      Effect: "Allow",
      Action: ["SetWebAcl", "ModifyListener", "AddListenerCertificates", "RemoveListenerCertificates", "ModifyRule", "SetRulePriorities"].map((a) => `elasticloadbalancing:${a}`),
      Resource: [...loadBalancers, ...listeners, ...rules],
    },
  ];
}
