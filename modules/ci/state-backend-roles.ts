import { Construct } from "constructs";
import { type PolicyStatement } from "../iam/policy-document";
import { CI_ROLE_PATH } from "../iam/reserved-paths";
import { Role } from "../iam/role";
import { escalationDenies } from "./github-roles";
import { githubTrust, type GithubRepository } from "./github-trust";
import { secretReadDenies } from "./secret-read-denies";
import { type StateLocation, stateStatements } from "./state-statements";

/** What the state-backend stack manages, by the names config gives it: all the roles may reach. */
export interface StateBackendResources {
  /** The state bucket. */
  readonly bucket: string;
  /** The bucket of the state access records (the trail's). */
  readonly accessLogBucket: string;
  /** The trail of state reads and writes. */
  readonly trailName: string;
  /** The aliases of its KMS keys (`alias/tfstate`, the access log's). */
  readonly kmsAliases: readonly string[];
  /**
   * The DynamoDB lock table.
   * @default - none: S3-native locking only
   */
  readonly lockTable?: string;
  /** The tag every resource of the stack carries (its provider's default tags), which new keys must be created with. */
  readonly tag: { readonly key: string; readonly value: string };
}

/** Props of {@link StateBackendCiRoles}. */
export interface StateBackendCiRolesProps {
  /** The state account. */
  readonly accountId: string;
  /** The state's region: the stack's keys, table and trail are there. */
  readonly region: string;
  /** The repository whose workflows may assume the roles. */
  readonly repository: GithubRepository;
  /** The workflow file whose jobs on the default branch may assume the apply role (`job_workflow_ref`). */
  readonly applyWorkflow: string;
  /** ARN of the account's GitHub OIDC provider (exactly one per account: the account stack's). */
  readonly providerArn: string;
  /** ARN of CI's permissions boundary of the account, which the roles carry. */
  readonly boundaryArn: string;
  /** The boundaries of the account's environments (none in a state account that holds no environment), for the escalation denies. */
  readonly environmentBoundaryArns: readonly string[];
  /** The GitHub Environment whose jobs may assume the apply role (`shared`). */
  readonly applyEnvironment: string;
  /** Role names. */
  readonly names: { readonly plan: string; readonly apply: string };
  /** Where the state is. */
  readonly state: StateLocation;
  /** The stack's own state key prefix (`state-backend/`): the only state the roles read or write. */
  readonly statePrefix: string;
  /** What the stack manages. */
  readonly resources: StateBackendResources;
}

/**
 * CI's two roles of the state-backend stack, in the state account, beside the environments' CI
 * roles and with their protections (the reserved path `/ci/`, the CI boundary, the escalation
 * denies):
 * - plan: trusted for `repo:<org>/<repo>:pull_request` only; reads the stack's own state (never
 *   writes or locks it: plans run with `-lock=false`), and reads the configuration of the stack's
 *   resources, never an object of another state (pull-request code runs as this role); the
 *   denies of every plan role's secret reads back that up;
 * - apply: trusted for `repo:<org>/<repo>:environment:<shared>` jobs of the apply workflow on the
 *   default branch only (and the repository's id, like every trust); writes the stack's state and
 *   manages the stack's buckets, keys, table and trail, by name, and can never delete them, stop
 *   the trail or delete a state version. It has no IAM at all: the stack makes no role.
 *
 * They live in the account stack, not in state-backend, which CI applies: a role that applies the
 * stack holding its own definition could rewrite itself.
 */
export class StateBackendCiRoles extends Construct {
  /** The plan role. */
  readonly plan: Role;
  /** The apply role. */
  readonly apply: Role;

  constructor(scope: Construct, id: string, props: StateBackendCiRolesProps) {
    super(scope, id);
    const role = (kind: "plan" | "apply", subject: string, description: string, statements: PolicyStatement[]) =>
      new Role(this, kind, {
        name: props.names[kind],
        path: CI_ROLE_PATH,
        description,
        trust: [githubTrust(props.providerArn, props.repository, subject, kind === "apply" ? props.applyWorkflow : undefined)],
        permissionsBoundaryArn: props.boundaryArn,
        statements,
      });
    const prefix = props.statePrefix.replace(/\/$/, "");
    const stateObjects = [`arn:aws:s3:::${props.state.bucket}/${prefix}/*`];
    this.plan = role("plan", "pull_request", "Plans state-backend for pull requests: read-only, never locks, secret values denied", [
      ...stateStatements(prefix, props.state, "read"),
      ...readStatements(props),
      ...secretReadDenies({ stateObjects, state: props.state }),
    ]);
    this.apply = role("apply", `environment:${props.applyEnvironment}`, "Applies reviewed plans to state-backend", [
      ...stateStatements(prefix, props.state, "write"),
      ...readStatements(props),
      ...manageStatements(props),
      ...destroyDenies(props),
      ...escalationDenies(props.accountId, props.environmentBoundaryArns),
    ]);
  }
}

/** The ARNs of what the stack manages. */
function arns(props: StateBackendCiRolesProps) {
  const { accountId, region, resources } = props;
  return {
    buckets: [resources.bucket, resources.accessLogBucket].map((b) => `arn:aws:s3:::${b}`),
    keys: `arn:aws:kms:${region}:${accountId}:key/*`,
    aliases: resources.kmsAliases.map((a) => `arn:aws:kms:${region}:${accountId}:${a}`),
    table: resources.lockTable ? `arn:aws:dynamodb:${region}:${accountId}:table/${resources.lockTable}` : undefined,
    trail: `arn:aws:cloudtrail:${region}:${accountId}:trail/${resources.trailName}`,
  };
}

/**
 * What refreshing the stack's resources reads: their configuration, never an object. `s3:Get*`
 * on a bucket's ARN (not `<bucket>/*`) reaches bucket settings only; `s3:ListBucket` is what
 * HeadBucket needs. CloudTrail's trail reads take "*" (metadata; no event is read: neither
 * LookupEvents nor any query is granted).
 */
function readStatements(props: StateBackendCiRolesProps): PolicyStatement[] {
  const a = arns(props);
  return [
    { Sid: "ReadStateBackendBuckets", Effect: "Allow", Action: ["s3:Get*", "s3:ListBucket"], Resource: a.buckets },
    { Sid: "ReadStateBackendKeys", Effect: "Allow", Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"], Resource: a.keys },
    { Sid: "ReadKeyAliases", Effect: "Allow", Action: "kms:ListAliases", Resource: "*" },
    ...(a.table ? [{ Sid: "ReadLockTable", Effect: "Allow" as const, Action: ["dynamodb:Describe*", "dynamodb:ListTagsOfResource", "dynamodb:GetResourcePolicy"], Resource: a.table }] : []),
    { Sid: "ReadTrails", Effect: "Allow", Action: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:ListTags"], Resource: "*" },
  ];
}

/**
 * What applying the stack changes, by name. Keys have no name until they exist, so they are the
 * state account's keys of the region, created only with the stack's tag (in an account that also
 * holds environments, their apply roles reach those keys too).
 */
function manageStatements(props: StateBackendCiRolesProps): PolicyStatement[] {
  const a = arns(props);
  const { tag } = props.resources;
  return [
    { Sid: "ManageStateBackendBuckets", Effect: "Allow", Action: "s3:*", Resource: a.buckets },
    { Sid: "CreateKeysWithTheStacksTag", Effect: "Allow", Action: "kms:CreateKey", Resource: "*", Condition: { StringEquals: { [`aws:RequestTag/${tag.key}`]: tag.value } } },
    { Sid: "ManageKeys", Effect: "Allow", Action: "kms:*", Resource: a.keys },
    { Sid: "ManageStateBackendAliases", Effect: "Allow", Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], Resource: a.aliases },
    ...(a.table ? [{ Sid: "ManageLockTable", Effect: "Allow" as const, Action: "dynamodb:*", Resource: a.table }] : []),
    { Sid: "ManageTrail", Effect: "Allow", Action: "cloudtrail:*", Resource: a.trail },
  ];
}

/**
 * What the stack never does, and the apply role therefore never may, whatever merged code says:
 * delete a bucket or a state version (the way back from a bad apply), delete or disable a key
 * (every state is encrypted with it), delete the lock table, stop or delete the trail. Retiring
 * the lock table forgets it (a `removed` block), which needs none of these.
 */
function destroyDenies(props: StateBackendCiRolesProps): PolicyStatement[] {
  const a = arns(props);
  return [
    {
      Sid: "DenyDestroyingTheStateBackend",
      Effect: "Deny",
      Action: ["s3:DeleteBucket", "s3:DeleteObjectVersion", "kms:ScheduleKeyDeletion", "kms:DisableKey", "dynamodb:DeleteTable", "cloudtrail:DeleteTrail", "cloudtrail:StopLogging"],
      Resource: [...a.buckets, ...a.buckets.map((b) => `${b}/*`), a.keys, ...(a.table ? [a.table] : []), a.trail],
    },
  ];
}

/**
 * The CI boundary's ceiling for the stack's services beyond the platform's (S3 and KMS are among
 * those): the lock table and the trail, by name.
 */
export function stateBackendCeiling(accountId: string, region: string, resources: StateBackendResources): PolicyStatement[] {
  const table = resources.lockTable ? [`arn:aws:dynamodb:${region}:${accountId}:table/${resources.lockTable}`] : [];
  return [
    { Sid: "CeilingStateBackend", Effect: "Allow", Action: [...(table.length ? ["dynamodb:*"] : []), "cloudtrail:*"], Resource: [...table, `arn:aws:cloudtrail:${region}:${accountId}:trail/${resources.trailName}`] },
  ];
}
