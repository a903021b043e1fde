import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { BOUNDARY_PATH } from "./reserved-paths";
import { PolicyDocument } from "./policy-document";

/**
 * Services the platform's roles work with; a role can never act outside them. Beyond the data
 * and compute services: `sqs` and `pricing` (Karpenter's interruption queue and price lookups),
 * `waf-regional` and `cognito-idp` (the load balancer controller attaches WAF ACLs and reads
 * Cognito clients of its listeners), `backup` and `backup-storage` (AWS Backup's vaults; creating
 * one needs backup-storage:MountCapsule), `lambda` (the database's bootstrap function, which
 * Terraform creates and invokes), `sns` (the alert topic: Terraform makes it, Alertmanager publishes
 * to it) and `xray` (the OpenTelemetry Collector writes traces).
 */
export const BOUNDARY_SERVICES = [
  "autoscaling", "cloudwatch", "ec2", "ecr", "eks", "elasticloadbalancing", "kafka", "kafka-cluster",
  "kms", "logs", "rds", "rds-db", "s3", "secretsmanager", "ssm", "sts", "acm", "route53", "wafv2", "waf-regional", "shield", "tag",
  "sqs", "pricing", "cognito-idp", "backup", "backup-storage", "lambda", "sns", "xray",
  // CI's runner (CodeBuild and its GitHub connection) and the access host's Session Manager.
  "codebuild", "codeconnections", "codestar-connections", "ssmmessages",
] as const;

/** Props of {@link PermissionsBoundary}. */
export interface PermissionsBoundaryProps {
  /** Policy name; roles refer to it by ARN, so it is part of the interface. */
  readonly name: string;
  /** The account the policy lives in; roles of this account refer to it. */
  readonly accountId: string;
  /**
   * The name prefix of the environment's roles and instance profiles (`dev-`): PassRole and
   * instance-profile management reach these only, never another environment's or CI's roles.
   */
  readonly namePrefix: string;
  /**
   * The cluster Karpenter runs in, whose instance profiles it makes under the IAM path
   * `/karpenter/<region>/<cluster>/<node class uid>/`.
   * @default - no Karpenter path: instance profiles named with the prefix only
   */
  readonly karpenter?: { readonly region: string; readonly clusterName: string };
  /**
   * Service namespaces roles may use at most.
   * @default BOUNDARY_SERVICES
   */
  readonly services?: readonly string[];
}

/**
 * The permissions boundary every role of an environment carries: a ceiling, not a grant. Roles
 * can only use the platform's services, can never manage IAM users, keys or this boundary, and
 * can never leave the organization, whatever policy is attached to them later.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export class PermissionsBoundary extends Construct {
  /**
   * ARN of the boundary policy. A reference, so that roles in the same stack are created after
   * it; other stacks use {@link PermissionsBoundary.arnFor}.
   */
  readonly arn: string;

  /** The ARN of a boundary by name, for stacks created after the one that owns it: boundaries live under the reserved path {@link BOUNDARY_PATH}. */
  static arnFor(accountId: string, name: string): string {
    return `arn:aws:iam::${accountId}:policy${BOUNDARY_PATH}${name}`;
  }

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    const document = new PolicyDocument(this, "policy-document", {
      statements: [
        { Sid: "CeilingPlatformServices", Effect: "Allow", Action: (props.services ?? BOUNDARY_SERVICES).map((s) => `${s}:*`), Resource: "*" },
        { Sid: "CeilingPassOwnRolesOnly", Effect: "Allow", Action: ["iam:PassRole", "iam:GetRole"], Resource: `arn:aws:iam::${props.accountId}:role/${props.namePrefix}*` },
        // Karpenter makes an instance profile per node class, named after the cluster (<env>-platform_...).
        {
          Sid: "CeilingOwnInstanceProfiles",
          Effect: "Allow",
          Action: ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:TagInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
          // An instance profile's ARN holds its path: Karpenter v1 makes its profiles (named
          // <cluster>_<hash>) under /karpenter/<region>/<cluster>/<node class uid>/
          // (aws/karpenter-provider-aws pkg/providers/instanceprofile, Create and ListNodeClassProfiles).
          Resource: [
            `arn:aws:iam::${props.accountId}:instance-profile/${props.namePrefix}*`,
            ...(props.karpenter ? [`arn:aws:iam::${props.accountId}:instance-profile/karpenter/${props.karpenter.region}/${props.karpenter.clusterName}/*`] : []),
          ],
        },
        // Karpenter finds the instance profiles it made by listing them (IAM cannot scope a list),
        // and reads whether a zone is shifted away (ARC zonal shift) for its cluster.
        { Sid: "CeilingListInstanceProfiles", Effect: "Allow", Action: "iam:ListInstanceProfiles", Resource: "*" },
        { Sid: "CeilingZonalShiftStatus", Effect: "Allow", Action: "arc-zonal-shift:GetManagedResource", Resource: "*" },
        // The load balancer controller creates the ELB service-linked role once per account, and reads IAM server certificates.
        { Sid: "CeilingElbServiceLinkedRole", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: "*", Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } } },
        { Sid: "CeilingReadServerCertificates", Effect: "Allow", Action: ["iam:ListServerCertificates", "iam:GetServerCertificate"], Resource: "*" },
        {
          Sid: "DenyBoundaryTampering",
          Effect: "Deny",
          Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"],
          Resource: "*",
        },
        { Sid: "DenyLongLivedCredentials", Effect: "Deny", Action: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"], Resource: "*" },
        { Sid: "DenyLeavingTheOrganization", Effect: "Deny", Action: ["organizations:LeaveOrganization", "account:CloseAccount"], Resource: "*" },
      ],
    });
    const policy = new IamPolicy(this, "Default", {
      name: props.name,
      // The reserved path: the apply role's `policy/<env>-*` does not reach it, and denies refuse any change there.
      path: BOUNDARY_PATH,
      description: "Permissions boundary of the platform's roles: the most any of them can ever do",
      policy: document.json,
    });
    this.arn = policy.arn;
  }
}
