import { type ResourceView, type Rule, type StackView } from "../types";
import { identityPolicies, type Statement, statements, strings } from "./helpers";

/** Actions that only read; everything else counts as a write for PI-IAM-002. */
const READ_ONLY = /^[a-z0-9-]+:(Describe|List|Get|BatchGet|Head|Search|Lookup|Query|Scan|Select|View)/i;

/**
 * Write actions that may use `Resource: "*"` without a condition, each with the reason. Keep it
 * short: every entry is an exception reviewers must agree with.
 */
export const WILDCARD_RESOURCE_ALLOW_LIST: Readonly<Record<string, string>> = {
  "ec2:CreateNetworkInterface": "a network interface has no ARN until it exists, so EC2 only accepts '*' here",
  "ssmmessages:CreateControlChannel": "Session Manager's message channels have no resource-level permissions (the access host's agent)",
  "ssmmessages:CreateDataChannel": "Session Manager's message channels have no resource-level permissions (the access host's agent)",
  "ssmmessages:OpenControlChannel": "Session Manager's message channels have no resource-level permissions (the access host's agent)",
  "ssmmessages:OpenDataChannel": "Session Manager's message channels have no resource-level permissions (the access host's agent)",
  "logs:CreateLogDelivery": "log deliveries have no resource-level permissions",
  "logs:DeleteLogDelivery": "log deliveries have no resource-level permissions",
  "logs:UpdateLogDelivery": "log deliveries have no resource-level permissions",
  "xray:PutTraceSegments": "X-Ray's segment uploads have no resource type (Service Authorization Reference; the OpenTelemetry Collector's role)",
  "xray:PutTelemetryRecords": "X-Ray's telemetry uploads have no resource type (Service Authorization Reference; the OpenTelemetry Collector's role)",
};

const ADMIN_POLICIES = /:policy\/(AdministratorAccess|IAMFullAccess)$/;
const ATTACHMENTS = ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"];

/** Policies used as permissions boundaries: ceilings that grant nothing themselves. */
function isBoundary(policy: ResourceView, stack: StackView): boolean {
  return stack.ofType("aws_iam_role").some((role) => {
    const b = role.attrs.permissions_boundary;
    return typeof b === "string" && (b.includes(`\${${policy.address}.`) || (typeof policy.attrs.name === "string" && b.endsWith(`:policy/${policy.attrs.name}`)));
  });
}

const allows = (s: Statement) => s.Effect === "Allow";

/**
 * Actions that let a principal grant itself (or a role it can use) more: the privilege-escalation
 * paths Checkov's CKV_AWS_286 and Rhino Security Labs' list name. On "*" they reach every role and
 * policy of the account, CI's and the boundaries included.
 */
export const ESCALATION_ACTIONS = [
  "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:PutRolePolicy",
  "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
  "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:AddUserToGroup", "iam:PassRole",
] as const;

/**
 * Actions that read data out (CKV_AWS_288): on "*" without a condition they reach every object,
 * secret, parameter and key of the account. (BatchGetSecretValue is not among them: it reads only
 * the secrets the caller may GetSecretValue.)
 */
export const EXFILTRATION_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "kms:Decrypt"] as const;

/** The actions of a statement that match any of these (a statement's `iam:*` or `s3:Get*` covers them). */
function coveredActions(s: Statement, of: readonly string[]): string[] {
  const patterns = strings(s.Action).map((a) => new RegExp(`^${a.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i"));
  return of.filter((action) => patterns.some((p) => p.test(action)));
}

/** IAM policies, attachments and roles. */
export const iamRules: Rule[] = [
  {
    id: "PI-IAM-001",
    severity: "error",
    title: 'IAM policies never allow the "*" action (or NotAction)',
    rationale: '"*" grants every present and future action of every service: administrator access by another name.',
    fix: "List the actions the principal needs.",
    checkov: "CKV_AWS_63",
    checkovNote: "passes vacuously on the synthesized JSON every policy is a reference to an aws_iam_policy_document Checkov does not resolve; it reads real statements only in the plans (terraform_plan) CI scans too",
    types: ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"],
    check: (r, stack) => {
      const bad = identityPolicies(r, stack).filter((s) => allows(s) && (strings(s.Action).includes("*") || s.NotAction !== undefined));
      return bad.length ? `statement ${bad.map((s) => s.Sid ?? "(no Sid)").join(", ")} allows "*" or uses NotAction` : undefined;
    },
  },
  {
    id: "PI-IAM-002",
    severity: "error",
    title: 'IAM policies allow write actions on "*" only with a condition or a listed reason',
    rationale: "A write action on every resource reaches far beyond what the workload owns.",
    fix: "Scope Resource to the ARNs the workload owns, add a condition (e.g. on a tag), or add the action to the allow-list with its reason.",
    checkov: "CKV_AWS_290",
    checkovNote: "UNKNOWN on the synthesized JSON every policy is a reference to an aws_iam_policy_document Checkov does not resolve; it reads real statements only in the plans (terraform_plan) CI scans too",
    types: ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"],
    check: (r, stack) => {
      if (r.type === "aws_iam_policy" && isBoundary(r, stack)) return undefined;
      const writes = identityPolicies(r, stack)
        .filter((s) => allows(s) && strings(s.Resource).includes("*") && !s.Condition)
        .flatMap((s) => strings(s.Action))
        .filter((a) => a !== "*" && !READ_ONLY.test(a) && !(a in WILDCARD_RESOURCE_ALLOW_LIST));
      return writes.length ? `write actions on "*" without a condition: ${writes.join(", ")}` : undefined;
    },
  },
  {
    id: "PI-IAM-003",
    severity: "error",
    title: "AdministratorAccess and IAMFullAccess are never attached",
    rationale: "Either policy lets the principal do anything, including granting itself more.",
    fix: "Attach a policy with the actions the principal needs.",
    checkov: "CKV_AWS_274",
    types: [...ATTACHMENTS, "aws_iam_role"],
    check: (r) => {
      const arns = r.type === "aws_iam_role" ? strings(r.attrs.managed_policy_arns) : strings(r.attrs.policy_arn);
      const bad = arns.filter((a) => ADMIN_POLICIES.test(a));
      return bad.length ? `attaches ${bad.join(", ")}` : undefined;
    },
  },
  {
    id: "PI-IAM-004",
    severity: "error",
    title: "OIDC trust policies pin both sub and aud, without wildcards",
    rationale: "Without an exact sub, any service account (or any repository) of the provider can assume the role.",
    fix: 'Add Condition StringEquals { "<issuer>:sub": "system:serviceaccount:<ns>:<name>", "<issuer>:aud": "sts.amazonaws.com" }.',
    types: ["aws_iam_role"],
    check: (r, stack) => {
      const problems = statements(r.attrs.assume_role_policy, stack)
        .filter((s) => allows(s) && strings(s.Action).includes("sts:AssumeRoleWithWebIdentity"))
        .flatMap((s) => {
          const equals = s.Condition?.StringEquals ?? {};
          const keys = Object.keys(equals);
          const out: string[] = [];
          for (const claim of ["sub", "aud"]) {
            const key = keys.find((k) => k.endsWith(`:${claim}`));
            if (!key) out.push(`no StringEquals on ${claim}`);
            else if (strings(equals[key]).some((v) => v.includes("*") || v.includes("?"))) out.push(`${claim} has a wildcard`);
          }
          if (s.Condition?.StringLike) out.push("uses StringLike");
          return out;
        });
      return problems.length ? problems.join("; ") : undefined;
    },
  },
  {
    id: "PI-IAM-006",
    severity: "error",
    title: 'IAM policies allow no privilege-escalation action on "*"',
    rationale: "Policy versions, attachments, inline policies, trust and boundary changes on every role let a principal make itself administrator; scoped to its own names (and with the boundary enforced) they cannot.",
    fix: "Scope Resource to the role and policy ARNs the principal manages, and require the environment's permissions boundary (iam:PermissionsBoundary).",
    checkov: "CKV_AWS_286",
    checkovNote: "reads real statements only in the plans (terraform_plan) CI scans too",
    types: ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"],
    check: (r, stack) => {
      if (r.type === "aws_iam_policy" && isBoundary(r, stack)) return undefined;
      const bad = identityPolicies(r, stack)
        .filter((s) => allows(s) && strings(s.Resource).includes("*") && !s.Condition)
        .flatMap((s) => coveredActions(s, ESCALATION_ACTIONS));
      return bad.length ? `privilege-escalation actions on "*" without a condition: ${[...new Set(bad)].join(", ")}` : undefined;
    },
  },
  {
    id: "PI-IAM-007",
    severity: "error",
    title: 'IAM policies allow no data-reading action on "*" without a condition',
    rationale: "GetObject, GetSecretValue, GetParameter and Decrypt on every resource read every bucket, secret, parameter and key of the account.",
    fix: "Scope Resource to the objects, secrets, parameters or keys the principal owns, or add a condition (kms:ViaService, a tag).",
    checkov: "CKV_AWS_288",
    checkovNote: "reads real statements only in the plans (terraform_plan) CI scans too",
    types: ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"],
    check: (r, stack) => {
      if (r.type === "aws_iam_policy" && isBoundary(r, stack)) return undefined;
      const bad = identityPolicies(r, stack)
        .filter((s) => allows(s) && strings(s.Resource).includes("*") && !s.Condition)
        .flatMap((s) => coveredActions(s, EXFILTRATION_ACTIONS));
      return bad.length ? `data-reading actions on "*" without a condition: ${[...new Set(bad)].join(", ")}` : undefined;
    },
  },
  {
    id: "PI-IAM-005",
    severity: "error",
    title: "Roles have a permissions boundary",
    rationale: "The boundary caps what a role can ever do, even if a policy attached later is too broad, and blocks privilege escalation.",
    fix: "Set permissions_boundary to the environment's boundary policy.",
    types: ["aws_iam_role"],
    check: (r) => (r.attrs.permissions_boundary ? undefined : "no permissions_boundary"),
  },
];

