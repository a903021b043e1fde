import { Testing } from "cdktf";
import { ACCOUNT_PLAN_ROLE_NAME, accountPlanRoleArn, accountStateKey, ciRoleArn, stateCiRoleArn } from "../../config";
import { type PolicyStatement } from "../../modules/iam/policy-document";
import { AccountStack } from "../../stacks/account-stack";
import { buildAccountStacks } from "../../stacks/platform-app";
import { fixtureInputsWithLockTable, policyStatements, resourcesOf, type SynthesizedStack, synthJson } from "../helpers";

const inputs = fixtureInputsWithLockTable();
const { backend, project } = inputs;
const envAccounts = [...new Set(inputs.environments.map((e) => e.account.id))];

/** Every account stack of a platform, synthesized, by account id. */
function accountStacks(stateAccountId: string): Record<string, SynthesizedStack> {
  const accounts = buildAccountStacks(Testing.app(), { ...inputs, backend: { ...backend, accountId: stateAccountId } });
  return Object.fromEntries(accounts.map((stack) => [stack.node.id.replace(/^account-/, ""), synthJson(stack)]));
}

/** A role's ARN as AWS makes it from the synthesized role: account, path and name. */
const arnOf = (account: string, role: Record<string, unknown>) => `arn:aws:iam::${account}:role${String(role.path)}${String(role.name)}`;
const roleNamed = (json: SynthesizedStack, name: string) => resourcesOf(json, "aws_iam_role").find((r) => r.name === name);
const stateRoles = (json: SynthesizedStack) => resourcesOf(json, "aws_iam_role").filter((r) => String(r.name).startsWith("state-backend-github-"));

describe.each([
  ["a state account of its own", backend.accountId],
  ["a state account that also holds an environment", envAccounts[0]!],
])("account stacks, with %s", (_case, stateAccount) => {
  const stacks = accountStacks(stateAccount);

  it("are one per account, the state account's included, each with exactly one GitHub OIDC provider", () => {
    expect(Object.keys(stacks).sort()).toEqual([...new Set([...envAccounts, stateAccount])].sort());
    for (const json of Object.values(stacks)) expect(resourcesOf(json, "aws_iam_openid_connect_provider")).toHaveLength(1);
  });

  it("put CI's state-backend roles in the state account's stack only, under /ci/ with the CI boundary", () => {
    for (const [account, json] of Object.entries(stacks)) {
      const roles = stateRoles(json);
      if (account !== stateAccount) {
        expect(roles).toEqual([]);
        continue;
      }
      expect(roles.map((r) => arnOf(account, r)).sort()).toEqual([stateCiRoleArn(stateAccount, "apply"), stateCiRoleArn(stateAccount, "plan")]);
      for (const role of roles) expect(role).toMatchObject({ path: "/ci/", permissions_boundary: "${aws_iam_policy.github_boundary.arn}" });
    }
  });

  it("trust the state plan role for pull requests and the state apply role for the shared GitHub Environment, audience pinned", () => {
    const json = stacks[stateAccount]!;
    const subjects = Object.fromEntries(
      stateRoles(json).map((r) => {
        const [trust] = policyStatements(json, r.assume_role_policy);
        expect(trust?.Condition?.StringEquals?.["token.actions.githubusercontent.com:aud"]).toEqual(["sts.amazonaws.com"]);
        return [r.name, trust?.Condition?.StringEquals?.["token.actions.githubusercontent.com:sub"]];
      }),
    );
    expect(subjects).toEqual({ "state-backend-github-plan": [`repo:${project.githubRepository}:pull_request`], "state-backend-github-apply": [`repo:${project.githubRepository}:environment:shared`] });
  });

  it("pin every role to the repository's id, and the state apply role to the apply workflow on main", () => {
    const json = stacks[stateAccount]!;
    const pins = Object.fromEntries(
      stateRoles(json).map((r) => {
        const equals = policyStatements(json, r.assume_role_policy)[0]?.Condition?.StringEquals as Record<string, string[]>;
        return [r.name, [equals["token.actions.githubusercontent.com:repository_id"], equals["token.actions.githubusercontent.com:job_workflow_ref"]]];
      }),
    );
    expect(pins).toEqual({
      "state-backend-github-plan": [[String(project.githubRepositoryId)], undefined],
      "state-backend-github-apply": [[String(project.githubRepositoryId)], [`${project.githubRepository}/.github/workflows/apply-env.yml@refs/heads/main`]],
    });
  });

  it("give each account stack a plan role of its own: pull requests, the repository's id, its own state key read, nothing written", () => {
    for (const [account, json] of Object.entries(stacks)) {
      const role = roleNamed(json, ACCOUNT_PLAN_ROLE_NAME)!;
      expect(arnOf(account, role)).toBe(accountPlanRoleArn(account));
      expect(role).toMatchObject({ path: "/ci/", permissions_boundary: "${aws_iam_policy.github_boundary.arn}" });
      expect(policyStatements(json, role.assume_role_policy)[0]?.Condition?.StringEquals).toEqual({
        "token.actions.githubusercontent.com:sub": [`repo:${project.githubRepository}:pull_request`],
        "token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"],
        "token.actions.githubusercontent.com:repository_id": [String(project.githubRepositoryId)],
      });
      // No ReadOnlyAccess: it reads the account stack's own services only.
      expect(resourcesOf(json, "aws_iam_role_policy_attachment").filter((a) => String(a.role).includes("account-plan"))).toEqual([]);
      const own = policyStatements(json, json.resource.aws_iam_role_policy?.["account-plan_policy"]?.policy);
      expect(own.filter((s) => s.Effect === "Allow" && (s.Action as string[]).some((a) => a.startsWith("s3:")))).toEqual([
        expect.objectContaining({ Sid: "ListOwnStateKey", Condition: { StringEquals: { "s3:prefix": [accountStateKey(account)] } } }),
        expect.objectContaining({ Sid: "ReadOwnStateKey", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${backend.bucket}/${accountStateKey(account)}`] }),
      ]);
      expect(own.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action as string[]).filter((a) => /Put|Delete|Update|Create/.test(a))).toEqual([]);
    }
  });

  it("output every role ARN the GitHub settings name, from the roles themselves, and those ARNs are what config computes", () => {
    for (const [account, json] of Object.entries(stacks)) {
      const outputs = (json.output ?? {}) as Record<string, { value: string }>;
      const envs = inputs.environments.filter((e) => e.account.id === account);
      const expected = [
        "github_oidc_provider_arn",
        "account_plan_role_arn",
        ...envs.flatMap((e) => ["plan", "apply", "drift"].map((k) => `${e.name}_${k}_role_arn`)),
        ...(account === stateAccount ? ["state_plan_role_arn", "state_apply_role_arn"] : []),
      ];
      expect(Object.keys(outputs).sort()).toEqual(expected.sort());
      for (const e of envs) {
        for (const kind of ["plan", "apply", "drift"] as const) {
          const role = roleNamed(json, `${e.name}-github-${kind}`)!;
          expect(outputs[`${e.name}_${kind}_role_arn`]?.value).toBe(`\${aws_iam_role.github_${e.name}-${kind}.arn}`);
          expect(arnOf(account, role)).toBe(ciRoleArn(e, kind));
        }
      }
    }
    const stateJson = stacks[stateAccount]!;
    expect((stateJson.output as Record<string, { value: string }>).state_plan_role_arn?.value).toBe("${aws_iam_role.state-backend-ci_plan.arn}");
    expect(arnOf(stateAccount, roleNamed(stateJson, "state-backend-github-apply")!)).toBe(stateCiRoleArn(stateAccount, "apply"));
  });

  it("let the CI boundary of the state account reach the lock table and the trail, and no other account's boundary", () => {
    for (const [account, json] of Object.entries(stacks)) {
      const boundary = policyStatements(json, resourcesOf(json, "aws_iam_policy")[0]?.policy);
      const ceiling = boundary.find((s) => s.Sid === "CeilingStateBackend") as PolicyStatement | undefined;
      if (account !== stateAccount) expect(ceiling).toBeUndefined();
      else expect(ceiling?.Resource).toEqual([`arn:aws:dynamodb:${backend.region}:${account}:table/${backend.dynamodbTable}`, `arn:aws:cloudtrail:${backend.region}:${account}:trail/terraform-state-access`]);
    }
  });
});

describe("the account stack of a state account that holds no environment", () => {
  const json = accountStacks(backend.accountId)[backend.accountId]!;

  it("has no environment's roles and no image registry: only the provider, the boundary, its own plan role and state-backend's roles", () => {
    expect(resourcesOf(json, "aws_iam_role").map((r) => r.name).sort()).toEqual([ACCOUNT_PLAN_ROLE_NAME, "state-backend-github-apply", "state-backend-github-plan"]);
    expect(resourcesOf(json, "aws_ecr_repository")).toEqual([]);
  });

  it("deploys to the state account, in the state's region", () => {
    expect(json.provider.aws?.[0]).toMatchObject({ region: backend.region, allowed_account_ids: [backend.accountId] });
  });

  it("keeps its state under bootstrap/ once stateBackendStorage is s3", () => {
    const state = synthJson(new AccountStack(Testing.app(), { accountId: backend.accountId, environments: [], backend, project: { ...project, stateBackendStorage: "s3" } }));
    expect(state.terraform.backend.s3).toMatchObject({ bucket: backend.bucket, key: `bootstrap/account-${backend.accountId}.tfstate` });
  });
});
