import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { PolicyDocument } from "./policy-document";

/** Services the platform's roles work with; a role can never act outside them. */
export const BOUNDARY_SERVICES = [
  "autoscaling", "cloudwatch", "ec2", "ecr", "eks", "elasticloadbalancing", "kafka", "kafka-cluster",
  "kms", "logs", "rds", "rds-db", "s3", "secretsmanager", "ssm", "sts", "acm", "route53", "wafv2", "shield", "tag",
] as const;

/** Props of {@link PermissionsBoundary}. */
export interface PermissionsBoundaryProps {
  /** Policy name; roles refer to it by ARN, so it is part of the interface. */
  readonly name: string;
  /** The account the policy lives in; roles of this account refer to it. */
  readonly accountId: string;
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

  /** The ARN of a boundary by name, for stacks created after the one that owns it. */
  static arnFor(accountId: string, name: string): string {
    return `arn:aws:iam::${accountId}:policy/${name}`;
  }

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    const document = new PolicyDocument(this, "policy-document", {
      statements: [
        { Sid: "CeilingPlatformServices", Effect: "Allow", Action: (props.services ?? BOUNDARY_SERVICES).map((s) => `${s}:*`), Resource: "*" },
        { Sid: "CeilingPassOwnRolesOnly", Effect: "Allow", Action: ["iam:PassRole", "iam:GetRole"], Resource: `arn:aws:iam::${props.accountId}:role/*` },
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
      description: "Permissions boundary of the platform's roles: the most any of them can ever do",
      policy: document.json,
    });
    this.arn = policy.arn;
  }
}
