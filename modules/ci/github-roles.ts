import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { ATTACHABLE_POLICY_ARNS } from "../iam/managed-policies";
import { BOUNDARY_SERVICES } from "../iam/permissions-boundary";
import { PolicyDocument, type PolicyStatement } from "../iam/policy-document";
import { BOUNDARY_PATH, CI_ROLE_PATH } from "../iam/reserved-paths";
import { Role } from "../iam/role";
import { checkRepository, DEFAULT_BRANCH_REF, GITHUB_OIDC_HOST, githubTrust, type GithubRepository } from "./github-trust";
import { secretReadDenies } from "./secret-read-denies";
import { foreignStateReadStatements, type StateLocation, stateStatements } from "./state-statements";

/** One environment's CI roles, as the account's stack makes them. */
export interface CiEnvironment {
  /** Environment name: roles are `<env>-github-plan`, `-apply`, `-drift`. */
  readonly name: string;
  /** Its region: where the secrets its plans refresh are. */
  readonly region: string;
  /** ARN of the environment's permissions boundary, which the apply role must put on every role it creates. */
  readonly boundaryArn: string;
  /**
   * The GitHub Environment whose jobs may assume the plan role (`plan-prod`: one with required
   * reviewers, for a production environment), instead of any pull request's.
   * @default - pull requests (`pull_request`)
   */
  readonly planEnvironment?: string;
  /**
   * Names of the secrets whose value refreshing the environment's stacks reads (Grafana's admin
   * secret, whose version is write-only yet read back with GetSecretValue): the only secret values
   * the plan and drift roles may read.
   * @default - none
   */
  readonly refreshedSecrets?: readonly string[];
  /**
   * The other environments of the account (a tenant's host and fellow tenants among them): the
   * apply role changes nothing tagged with one of their names ({@link otherEnvironmentDenies}).
   * @default - none
   */
  readonly otherEnvironments?: readonly string[];
  /**
   * State keys of another environment its stacks read (a tenant's: its host's cluster layers),
   * read only, by all three roles.
   * @default - none
   */
  readonly foreignStateKeys?: readonly string[];
  /**
   * Name patterns of the only DNS records the apply role may change, where the zone is another
   * environment's (a tenant's certificates' validation records in its host's zone).
   * @default - no limit: the environment's zone is its own
   */
  readonly recordNames?: readonly string[];
}

/** The workflow files (`.github/workflows/apply-env.yml`) whose jobs on the default branch may assume each role. */
export interface CiWorkflows {
  /** The one that applies: it holds the jobs of the GitHub Environments. */
  readonly apply: string;
  /** The scheduled one that looks for drift. */
  readonly drift: string;
}

/** Props of {@link GithubCiRoles}. */
export interface GithubCiRolesProps {
  /** The account. */
  readonly accountId: string;
  /** The repository whose workflows may assume the roles. */
  readonly repository: GithubRepository;
  /** The workflow files the apply and drift roles pin (`job_workflow_ref`). */
  readonly workflows: CiWorkflows;
  /** The environments deployed to this account (none in a state account that holds no environment). */
  readonly environments: readonly CiEnvironment[];
  /** The Terraform state. */
  readonly state: StateLocation;
  /**
   * More of the CI boundary's ceiling: what other CI roles of the account need beyond the
   * platform's services (the state-backend stack's roles: its lock table and trail).
   * @default - none
   */
  readonly ceiling?: readonly PolicyStatement[];
}

/**
 * GitHub Actions' OIDC provider (one per account) and CI's roles per environment:
 * - plan: trusted for `repo:<org>/<repo>:pull_request`, or, for a production environment, only for
 *   jobs of its `plan-<env>` GitHub Environment (required reviewers): so pull-request code reads
 *   production only after a person approved the run. Read-only: `ReadOnlyAccess` for refresh, its
 *   own state read (never written, never locked), and explicit denies of every secret and data
 *   value planning never reads ({@link secretReadDenies});
 * - drift: trusted for jobs of the drift workflow on the default branch only (`ref:refs/heads/main`
 *   and its `job_workflow_ref`); the same reads;
 * - apply: trusted for `repo:<org>/<repo>:environment:<env>` jobs of the apply workflow on the
 *   default branch only; the boundary's services, and IAM only on `<env>-*` names, with the
 *   environment's permissions boundary required on every role it makes.
 * Every trust pins `aud` and the repository's id, and no subject has a wildcard. All of them carry
 * the CI boundary.
 *
 * Merged code runs as the apply role, so the apply role must never be able to make itself (or
 * anything) more than the boundaries allow: CI's roles live under the reserved path `/ci/` and the
 * boundaries under `/boundaries/`, out of reach of the `<env>-*` names, and explicit denies, in the
 * apply role's policy and again in the CI boundary, refuse any change to them, removing or
 * replacing a role's boundary, and attaching any policy but the platform's own (docs/architecture.md,
 * "What protects what"; the escalation test evaluates the synthesized policies).
 */
export class GithubCiRoles extends Construct {
  /** The OIDC provider. */
  readonly provider: IamOpenidConnectProvider;
  /** Roles by `<env>-<kind>`. */
  readonly roles: Readonly<Record<string, Role>>;
  /** ARN of CI's permissions boundary, which every CI role of the account carries. */
  readonly boundaryArn: string;

  constructor(scope: Construct, id: string, props: GithubCiRolesProps) {
    super(scope, id);
    checkRepository(this.node.path, props.repository);
    this.provider = new IamOpenidConnectProvider(this, "oidc-provider", { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: ["sts.amazonaws.com"] });
    const boundary = this.boundary(props);
    this.boundaryArn = boundary.arn;
    const roles: Record<string, Role> = {};
    for (const env of props.environments) {
      const role = (kind: string, trust: PolicyStatement, description: string, statements: PolicyStatement[], managed: string[] = []) =>
        (roles[`${env.name}-${kind}`] = new Role(this, `${env.name}-${kind}`, {
          name: `${env.name}-github-${kind}`,
          path: CI_ROLE_PATH,
          description,
          trust: [trust],
          permissionsBoundaryArn: boundary.arn,
          statements,
          managedPolicyArns: managed,
        }));
      const trust = (subject: string, workflow?: string) => githubTrust(this.provider.arn, props.repository, subject, workflow);
      const secrets = (env.refreshedSecrets ?? []).map((name) => `arn:aws:secretsmanager:${env.region}:${props.accountId}:secret:${name}-??????`);
      const foreign = env.foreignStateKeys ?? [];
      const foreignReads = foreignStateReadStatements(foreign, props.state);
      const stateObjects = [`arn:aws:s3:::${props.state.bucket}/${env.name}/*`, ...foreign.map((key) => `arn:aws:s3:::${props.state.bucket}/${key}`)];
      const reads = [...stateStatements(env.name, props.state, "read"), ...foreignReads, ...refreshReads(secrets, env.region, props.accountId), ...secretReadDenies({ stateObjects, state: props.state, refreshedSecrets: secrets, secretsRegion: env.region })];
      const planTrust = env.planEnvironment ? trust(`environment:${env.planEnvironment}`) : trust("pull_request");
      const planFor = env.planEnvironment ? `for pull requests, after an approval in the GitHub Environment ${env.planEnvironment}` : "for pull requests";
      role("plan", planTrust, `Plans ${env.name} ${planFor}: read-only, never locks, secret values denied`, reads, [READ_ONLY_ACCESS]);
      role("drift", trust(`ref:${DEFAULT_BRANCH_REF}`, props.workflows.drift), `Looks for drift in ${env.name} on schedule: read-only, never locks, secret values denied`, reads, [READ_ONLY_ACCESS]);
      role("apply", trust(`environment:${env.name}`, props.workflows.apply), `Applies reviewed plans to ${env.name}`, [
        ...stateStatements(env.name, props.state, "write"),
        ...foreignReads,
        ...applyStatements(props.accountId, env),
        ...otherEnvironmentDenies(env),
        ...escalationDenies(props.accountId, [env.boundaryArn]),
      ]);
    }
    this.roles = roles;
  }

  /** The ceiling of CI's roles: the platform's services, IAM on the environments' names, and reads. */
  private boundary(props: GithubCiRolesProps): IamPolicy {
    const names = (kind: string) => props.environments.map((e) => `arn:aws:iam::${props.accountId}:${kind}/${e.name}-*`);
    const document = new PolicyDocument(this, "boundary-document", {
      statements: [
        { Sid: "CeilingPlatformServices", Effect: "Allow", Action: BOUNDARY_SERVICES.map((s) => `${s}:*`), Resource: "*" },
        { Sid: "CeilingReadAnything", Effect: "Allow", Action: ["*:Describe*", "*:Get*", "*:List*"], Resource: "*" },
        // The clusters' OIDC providers (IRSA), never GitHub's, which CI's own trust rests on.
        { Sid: "CeilingIamOfTheEnvironments", Effect: "Allow", Action: "iam:*", Resource: [...names("role"), ...names("policy"), ...names("instance-profile"), `arn:aws:iam::${props.accountId}:oidc-provider/oidc.eks.*`] },
        { Sid: "DenyLongLivedCredentials", Effect: "Deny", Action: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"], Resource: "*" },
        ...escalationDenies(props.accountId, props.environments.map((e) => e.boundaryArn)),
        ...(props.ceiling ?? []),
      ],
    });
    return new IamPolicy(this, "boundary", { name: CI_BOUNDARY_NAME, path: BOUNDARY_PATH, description: "Permissions boundary of CI's roles: the most any of them can ever do", policy: document.json });
  }
}

/** Name of CI's permissions boundary (under {@link BOUNDARY_PATH}). */
export const CI_BOUNDARY_NAME = "github-ci-boundary";

/**
 * What no CI role may ever do, as explicit denies (they win over any allow, present or future):
 * change CI's roles or any boundary, or GitHub's OIDC provider (anything but reading them); take
 * a role's boundary off; make or re-bound a role with any boundary but the environment's; attach
 * any policy but the platform's own AWS-managed ones ({@link ATTACHABLE_POLICY_ARNS}). With no
 * environment boundary (a state account that holds no environment), no role may be made at all.
 */
export function escalationDenies(accountId: string, boundaryArns: readonly string[]): PolicyStatement[] {
  const reads = ["iam:Get*", "iam:List*"];
  return [
    { Sid: "DenyChangingCiRoles", Effect: "Deny", NotAction: reads, Resource: `arn:aws:iam::${accountId}:role${CI_ROLE_PATH}*` },
    { Sid: "DenyChangingBoundaries", Effect: "Deny", NotAction: reads, Resource: `arn:aws:iam::${accountId}:policy${BOUNDARY_PATH}*` },
    { Sid: "DenyChangingGithubTrust", Effect: "Deny", NotAction: reads, Resource: `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}` },
    { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
    // The key is missing from a request without a boundary, which a negated operator counts as a match: denied too.
    {
      Sid: "DenyRolesWithAnotherBoundary",
      Effect: "Deny",
      Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      Resource: "*",
      ...(boundaryArns.length ? { Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundaryArns } } } : {}),
    },
    { Sid: "DenyAttachingOtherPolicies", Effect: "Deny", Action: "iam:AttachRolePolicy", Resource: "*", Condition: { ArnNotEquals: { "iam:PolicyARN": ATTACHABLE_POLICY_ARNS } } },
  ];
}

/** The AWS-managed policy the plan and drift roles read resources' configuration with (values denied: {@link secretReadDenies}). */
export const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/**
 * What refreshing an environment's stacks reads beyond configuration: the values of the given
 * secrets (decrypted through Secrets Manager), and random characters for the ephemeral
 * `aws_secretsmanager_random_password` that Grafana's admin password is made with at apply
 * (GetRandomPassword reads nothing).
 */
function refreshReads(secrets: readonly string[], region: string, accountId: string): PolicyStatement[] {
  return [
    { Sid: "RandomPasswordsForPlans", Effect: "Allow", Action: "secretsmanager:GetRandomPassword", Resource: "*" },
    ...(secrets.length
      ? [
          { Sid: "ReadRefreshedSecrets", Effect: "Allow" as const, Action: "secretsmanager:GetSecretValue", Resource: [...secrets] },
          {
            Sid: "DecryptRefreshedSecrets",
            Effect: "Allow" as const,
            Action: "kms:Decrypt",
            Resource: `arn:aws:kms:${region}:${accountId}:key/*`,
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` }, StringLike: { "kms:EncryptionContext:SecretARN": [...secrets] } },
          },
        ]
      : []),
  ];
}

/**
 * Actions an apply role may take on a resource of another environment: a tenant makes its
 * database's and brokers' security groups in its host's VPC (CreateSecurityGroup is authorized on
 * the VPC too), and, with Pod Identity, its roles' associations on its host's cluster (creating
 * one is authorized on the cluster; it passes only its own roles, `ManageOwnRolesPoliciesAndProfiles`;
 * the association is then tagged with its own environment, so changing or deleting it needs no
 * exception). Everything else of another environment it may only read.
 */
export const SHARED_RESOURCE_USES = ["ec2:CreateSecurityGroup", "eks:CreatePodIdentityAssociation"] as const;

/**
 * Nothing of another environment of the account: every resource the stacks make carries its
 * environment's name in the `environment` tag (the provider's default tags), and an apply role
 * changes none tagged with another's, be it a tenant's host, a fellow tenant, or an unrelated
 * environment sharing the account. Describing and listing stays allowed (a tenant plans against
 * its host's cluster, VPC and subnets), reading values does not; so does {@link SHARED_RESOURCE_USES}.
 * Resources without the tag (what a controller makes: the load balancer controller's ALBs and
 * groups, the nodes' instances) are not covered. An explicit deny: no allow, present or future,
 * outweighs it.
 */
export function otherEnvironmentDenies(env: Pick<CiEnvironment, "otherEnvironments" | "recordNames">): PolicyStatement[] {
  const others = [...(env.otherEnvironments ?? [])].sort();
  const records = env.recordNames;
  return [
    // Describe and List only: Get reads values too (secretsmanager:GetSecretValue, s3:GetObject, ssm:GetParameter).
    ...(others.length ? [{ Sid: "DenyChangingOtherEnvironments", Effect: "Deny" as const, NotAction: ["*:Describe*", "*:List*", ...SHARED_RESOURCE_USES], Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/environment": others } } }] : []),
    // Route 53 authorizes record changes by name, never by tag: a tenant writes its validation records only.
    ...(records
      ? [
          {
            Sid: "DenyRecordsButOwnValidation",
            Effect: "Deny" as const,
            Action: "route53:ChangeResourceRecordSets",
            Resource: "*",
            ...(records.length ? { Condition: { "ForAnyValue:StringNotLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [...records] } } } : {}),
          },
        ]
      : []),
  ];
}

/** What applying an environment needs: its services, and IAM only on its own names, boundary required. */
function applyStatements(accountId: string, env: CiEnvironment): PolicyStatement[] {
  const own = (kind: string) => `arn:aws:iam::${accountId}:${kind}/${env.name}-*`;
  return [
    { Sid: "PlatformServicesInThisAccount", Effect: "Allow", Action: BOUNDARY_SERVICES.map((s) => `${s}:*`), Resource: "*", Condition: { StringEquals: { "aws:ResourceAccount": accountId } } },
    {
      Sid: "CreateOwnRolesOnlyWithTheBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy"],
      Resource: own("role"),
      Condition: { StringEquals: { "iam:PermissionsBoundary": env.boundaryArn } },
    },
    {
      Sid: "ManageOwnRolesPoliciesAndProfiles",
      Effect: "Allow",
      Action: ["iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:PassRole", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
      Resource: [own("role"), own("policy"), own("instance-profile")],
    },
    // Terraform reads back what it makes (GetRole, ListRolePolicies, GetInstanceProfile, …), and
    // the provider's default tags tag every role, policy and instance profile it creates.
    {
      Sid: "ReadAndTagOwnRolesPoliciesAndProfiles",
      Effect: "Allow",
      Action: ["iam:Get*", "iam:List*", "iam:TagInstanceProfile", "iam:UntagInstanceProfile", "iam:UntagPolicy"],
      Resource: [own("role"), own("policy"), own("instance-profile")],
    },
    {
      Sid: "ManageClusterOidcProviders",
      Effect: "Allow",
      Action: ["iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviderTags"],
      Resource: `arn:aws:iam::${accountId}:oidc-provider/oidc.eks.*`,
    },
    // Public resources owned by AWS, not by this account (so outside the statement above): the
    // Amazon Linux AMI the access host launches from, and the public parameter that names it
    // (its launch template's `resolve:ssm:`, resolved with the caller's ssm:GetParameters).
    // @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
    // @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-systems-manager-parameter-to-find-AMI.html
    { Sid: "LaunchFromAmazonImages", Effect: "Allow", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*::image/*" },
    { Sid: "ReadAwsPublicParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: "arn:aws:ssm:*::parameter/aws/service/*" },
    { Sid: "ServiceLinkedRolesOfThePlatformServices", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: "*", Condition: { StringLike: { "iam:AWSServiceName": ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "elasticloadbalancing.amazonaws.com", "rds.amazonaws.com", "kafka.amazonaws.com", "autoscaling.amazonaws.com", "spot.amazonaws.com"] } } },
  ];
}
