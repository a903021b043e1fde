import { Testing } from "cdktf";
import { accountPlanRoleArn, accountStateKey, ciRoleArn, permissionsBoundaryName, stateCiRoleArn } from "../../config";
import { CI_BOUNDARY_NAME } from "../../modules/ci/github-roles";
import { PermissionsBoundary } from "../../modules/iam/permissions-boundary";
import { BOUNDARY_PATH } from "../../modules/iam/reserved-paths";
import { accessLogBucketName } from "../../modules/state/state-access-trail";
import { evaluate, evaluateCrossAccount, type IamRequest, type NamedPolicies } from "../../policy/iam-evaluation";
import { type Statement } from "../../policy/rules/helpers";
import { AccountStack, buildPlatform, STATE_BACKEND_TAG } from "../../stacks";
import { fixtureInputsWithLockTable, policyStatements, resourcesOf, type SynthesizedStack, synthJson } from "../helpers";

// Merged code runs as state-backend's apply role, and pull-request code as its plan role. Each
// request is evaluated against the synthesized policies (the role's own and the CI boundary), and
// the account stacks' operators against the state bucket's policy, with IAM's evaluation logic
// (policy/iam-evaluation.ts). The fixture's state account holds no environment.
const inputs = fixtureInputsWithLockTable();
const { backend } = inputs;
const state = backend.accountId;
const inline = (json: SynthesizedStack, role: string): Statement[] => policyStatements(json, json.resource.aws_iam_role_policy?.[`${role}_policy`]?.policy);
const ciBoundary = (json: SynthesizedStack): NamedPolicies => ({ "CI boundary": policyStatements(json, resourcesOf(json, "aws_iam_policy").find((p) => p.name === CI_BOUNDARY_NAME)?.policy) });
const stacks = buildPlatform(Testing.app(), inputs);
const stateAccountJson = synthJson(stacks.accounts.find((a) => a.node.id === `account-${state}`)!);
const as = (json: SynthesizedStack, kind: "plan" | "apply") => (request: IamRequest) => evaluate(request, { [`${kind} role`]: inline(json, `state-backend-ci_${kind}`) }, ciBoundary(json));
const asPlan = as(stateAccountJson, "plan");
const asApply = as(stateAccountJson, "apply");
const bucket = `arn:aws:s3:::${backend.bucket}`;
const object = (key: string) => `${bucket}/${key}`;
const key = `arn:aws:kms:${backend.region}:${state}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const table = `arn:aws:dynamodb:${backend.region}:${state}:table/${backend.dynamodbTable}`;
const trail = `arn:aws:cloudtrail:${backend.region}:${state}:trail/terraform-state-access`;
const env = inputs.environments[0]!;

describe("state-backend's plan role reads its own state and resources, nothing else", () => {
  it("reads the stack's state, but never writes it nor takes or deletes its lock (plans run with -lock=false)", () => {
    expect(asPlan({ action: "s3:GetObject", resource: object("state-backend/terraform.tfstate") }).decision).toBe("Allow");
    for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
      for (const key of ["state-backend/terraform.tfstate", "state-backend/terraform.tfstate.tflock"]) expect({ action, key, ...asPlan({ action, resource: object(key) }) }).toMatchObject({ decision: "ImplicitDeny" });
    }
    // With the legacy lock table: its digest read, no lock item written.
    const digest = { "dynamodb:LeadingKeys": `${backend.bucket}/state-backend/terraform.tfstate-md5` };
    expect(asPlan({ action: "dynamodb:GetItem", resource: table, context: digest }).decision).toBe("Allow");
    for (const action of ["dynamodb:PutItem", "dynamodb:DeleteItem"]) expect({ action, ...asPlan({ action, resource: table, context: { "dynamodb:LeadingKeys": `${backend.bucket}/state-backend/terraform.tfstate` } }) }).toMatchObject({ decision: "ImplicitDeny" });
  });

  it("reads no other stack's state, and no object of the access log, whatever else it is granted", () => {
    for (const resource of [object(`${env.name}/network.tfstate`), object(accountStateKey(env.account.id)), `arn:aws:s3:::${accessLogBucketName(backend.bucket)}/AWSLogs/x`]) {
      expect({ resource, ...asPlan({ action: "s3:GetObject", resource }) }).toMatchObject({ decision: "ExplicitDeny", by: expect.arrayContaining(["plan role: DenyObjectsButOwnState"]) });
    }
  });

  it("reads the configuration of the stack's resources, and changes none of it", () => {
    expect(asPlan({ action: "s3:GetBucketPolicy", resource: bucket }).decision).toBe("Allow");
    expect(asPlan({ action: "kms:GetKeyPolicy", resource: key }).decision).toBe("Allow");
    expect(asPlan({ action: "dynamodb:DescribeTable", resource: table }).decision).toBe("Allow");
    expect(asPlan({ action: "cloudtrail:GetEventSelectors", resource: trail }).decision).toBe("Allow");
    for (const [action, resource] of [["s3:PutBucketPolicy", bucket], ["kms:PutKeyPolicy", key], ["dynamodb:PutResourcePolicy", table], ["cloudtrail:StopLogging", trail]] as const) {
      expect({ action, ...asPlan({ action, resource }) }).toMatchObject({ decision: "ImplicitDeny" });
    }
  });
});

describe("state-backend's apply role manages the stack, and cannot make itself more", () => {
  it("changes the stack's buckets, keys, table and trail, and writes its state (not vacuous)", () => {
    for (const [action, resource] of [["s3:PutBucketPolicy", bucket], ["s3:PutObject", object("state-backend/terraform.tfstate")], ["kms:PutKeyPolicy", key], ["dynamodb:UpdateContinuousBackups", table], ["cloudtrail:PutEventSelectors", trail]] as const) {
      expect({ action, ...asApply({ action, resource }) }).toMatchObject({ decision: "Allow" });
    }
  });

  it("creates keys only with the stack's tag", () => {
    expect(asApply({ action: "kms:CreateKey", resource: "*", context: { [`aws:RequestTag/${STATE_BACKEND_TAG.key}`]: STATE_BACKEND_TAG.value } }).decision).toBe("Allow");
    expect(asApply({ action: "kms:CreateKey", resource: "*" }).decision).toBe("ImplicitDeny");
  });

  it("reads and writes no environment's or account stack's state, and no other bucket", () => {
    for (const resource of [object(`${env.name}/network.tfstate`), object(accountStateKey(env.account.id))]) {
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) expect({ resource, action, ...asApply({ action, resource }) }).toMatchObject({ decision: "ImplicitDeny" });
    }
    expect(asApply({ action: "s3:PutBucketPolicy", resource: "arn:aws:s3:::another-bucket" }).decision).toBe("ImplicitDeny");
  });

  it("can never destroy the state: no bucket, state version, key, table or trail deleted, no trail stopped", () => {
    for (const [action, resource] of [
      ["s3:DeleteBucket", bucket],
      ["s3:DeleteBucket", `arn:aws:s3:::${accessLogBucketName(backend.bucket)}`],
      ["s3:DeleteObjectVersion", object(`${env.name}/network.tfstate`)],
      ["kms:ScheduleKeyDeletion", key],
      ["kms:DisableKey", key],
      ["dynamodb:DeleteTable", table],
      ["cloudtrail:DeleteTrail", trail],
      ["cloudtrail:StopLogging", trail],
    ] as const) {
      expect({ action, ...asApply({ action, resource }) }).toMatchObject({ decision: "ExplicitDeny", by: expect.arrayContaining(["apply role: DenyDestroyingTheStateBackend"]) });
    }
  });

  it("cannot change CI's roles (its own trust included), the boundary or GitHub's provider, nor make any role", () => {
    for (const resource of [stateCiRoleArn(state, "apply"), stateCiRoleArn(state, "plan")]) {
      for (const action of ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:PassRole"]) {
        expect({ resource, action, ...asApply({ action, resource }) }).toMatchObject({ decision: "ExplicitDeny", by: expect.arrayContaining(["apply role: DenyChangingCiRoles", "CI boundary: DenyChangingCiRoles"]) });
      }
    }
    expect(asApply({ action: "iam:CreatePolicyVersion", resource: `arn:aws:iam::${state}:policy${BOUNDARY_PATH}${CI_BOUNDARY_NAME}` }).decision).toBe("ExplicitDeny");
    expect(asApply({ action: "iam:UpdateOpenIDConnectProviderThumbprint", resource: `arn:aws:iam::${state}:oidc-provider/token.actions.githubusercontent.com` }).decision).toBe("ExplicitDeny");
    // A state account of no environment has no environment boundary: no role may be made with any.
    expect(asApply({ action: "iam:CreateRole", resource: `arn:aws:iam::${state}:role/x`, context: { "iam:PermissionsBoundary": `arn:aws:iam::${state}:policy${BOUNDARY_PATH}${CI_BOUNDARY_NAME}` } })).toMatchObject({ decision: "ExplicitDeny", by: expect.arrayContaining(["apply role: DenyRolesWithAnotherBoundary"]) });
  });

  it("in a state account that also holds an environment, reaches none of the environment's roles, and its apply role none of the state's", () => {
    const shared = { ...inputs, backend: { ...backend, accountId: env.account.id } };
    const json = synthJson(new AccountStack(Testing.app(), { accountId: env.account.id, environments: inputs.environments.filter((e) => e.account.id === env.account.id), backend: shared.backend, project: inputs.project }));
    const envBoundary = PermissionsBoundary.arnFor(env.account.id, permissionsBoundaryName(env));
    const stateApply = as(json, "apply");
    for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:PassRole"]) {
      expect({ action, ...stateApply({ action, resource: `arn:aws:iam::${env.account.id}:role/${env.name}-app`, context: { "iam:PermissionsBoundary": envBoundary } }) }).not.toMatchObject({ decision: "Allow" });
    }
    const envApply = (request: IamRequest) => evaluate(request, { "env apply role": inline(json, `github_${env.name}-apply`) }, ciBoundary(json));
    expect(envApply({ action: "iam:UpdateAssumeRolePolicy", resource: stateCiRoleArn(env.account.id, "apply") })).toMatchObject({ decision: "ExplicitDeny" });
    expect(stateApply({ action: "iam:UpdateAssumeRolePolicy", resource: ciRoleArn(env, "apply") })).toMatchObject({ decision: "ExplicitDeny" });
  });
});

describe("the state bucket lets each account stack's operator write that stack's state, and nothing else", () => {
  const stateJson = synthJson(stacks.stateBackend);
  // The policy names the bucket by reference; its ARN is the one its name gives.
  const statements = JSON.stringify(policyStatements(stateJson, stateJson.resource.aws_s3_bucket_policy?.bucket_policy?.policy)).replaceAll("${aws_s3_bucket.bucket.arn}", bucket);
  const bucketPolicy: NamedPolicies = { "bucket policy": JSON.parse(statements) as Statement[] };
  const operator = env.account.deployRoleArn!;
  // The operator administers its own account: its own policies allow everything; the bucket's decides.
  const admin: NamedPolicies = { admin: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  const asOperator = (request: IamRequest) => evaluateCrossAccount(request, operator, admin, undefined, bucketPolicy);
  const own = accountStateKey(env.account.id);

  it("reads and writes its account stack's state and lock, and lists only that key", () => {
    expect(asOperator({ action: "s3:GetObject", resource: object(own) }).decision).toBe("Allow");
    expect(asOperator({ action: "s3:PutObject", resource: object(own) }).decision).toBe("Allow");
    for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) expect(asOperator({ action, resource: object(`${own}.tflock`) }).decision).toBe("Allow");
    expect(asOperator({ action: "s3:ListBucket", resource: bucket, context: { "s3:prefix": own } }).decision).toBe("Allow");
    expect(asOperator({ action: "s3:ListBucket", resource: bucket, context: { "s3:prefix": "" } }).decision).toBe("ImplicitDeny");
  });

  it("never deletes that state, and touches no other account's, environment's or state-backend's state", () => {
    expect(asOperator({ action: "s3:DeleteObject", resource: object(own) }).decision).toBe("ImplicitDeny");
    const other = inputs.environments.find((e) => e.account.id !== env.account.id)!;
    for (const k of [accountStateKey(other.account.id), `${env.name}/network.tfstate`, "state-backend/terraform.tfstate"]) {
      for (const action of ["s3:GetObject", "s3:PutObject"]) expect({ k, action, ...asOperator({ action, resource: object(k) }) }).toMatchObject({ decision: "ImplicitDeny" });
    }
  });
});

describe("an account stack's plan role reads its stack's state across accounts, and nothing else", () => {
  const stateJson = synthJson(stacks.stateBackend);
  const statements = JSON.stringify(policyStatements(stateJson, stateJson.resource.aws_s3_bucket_policy?.bucket_policy?.policy)).replaceAll("${aws_s3_bucket.bucket.arn}", bucket);
  const bucketPolicy: NamedPolicies = { "bucket policy": JSON.parse(statements) as Statement[] };
  const account = env.account.id;
  const accountJson = synthJson(stacks.accounts.find((a) => a.node.id === `account-${account}`)!);
  const own: NamedPolicies = { "account plan role": inline(accountJson, "account-plan") };
  const asAccountPlan = (request: IamRequest) => evaluateCrossAccount(request, accountPlanRoleArn(account), own, ciBoundary(accountJson), bucketPolicy);
  const key = accountStateKey(account);

  it("lists and reads its key, as both its own policy and the bucket's allow", () => {
    expect(asAccountPlan({ action: "s3:GetObject", resource: object(key) }).decision).toBe("Allow");
    expect(asAccountPlan({ action: "s3:ListBucket", resource: bucket, context: { "s3:prefix": key } }).decision).toBe("Allow");
  });

  it("writes nothing, its lock neither, and reads no other state", () => {
    for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
      for (const k of [key, `${key}.tflock`]) expect({ action, k, ...asAccountPlan({ action, resource: object(k) }) }).not.toMatchObject({ decision: "Allow" });
    }
    const other = inputs.environments.find((e) => e.account.id !== account)!;
    for (const k of [accountStateKey(other.account.id), `${env.name}/network.tfstate`, "state-backend/terraform.tfstate"]) {
      expect({ k, ...asAccountPlan({ action: "s3:GetObject", resource: object(k) }) }).toMatchObject({ decision: "ExplicitDeny" });
    }
  });
});
