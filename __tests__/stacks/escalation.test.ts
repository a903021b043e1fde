import { Testing } from "cdktf";
import { ciRoleArn, permissionsBoundaryName } from "../../config";
import { ATTACHABLE_POLICY_ARNS, MANAGED_POLICIES } from "../../modules/iam/managed-policies";
import { PermissionsBoundary } from "../../modules/iam/permissions-boundary";
import { CI_BOUNDARY_NAME } from "../../modules/ci/github-roles";
import { BOUNDARY_PATH } from "../../modules/iam/reserved-paths";
import { evaluate, type IamRequest, type NamedPolicies } from "../../policy/iam-evaluation";
import { type Statement } from "../../policy/rules/helpers";
import { AccountStack } from "../../stacks/account-stack";
import { fixtureInputs, fixtureSynth, policyStatements, resourcesOf, type SynthesizedStack, synthJson } from "../helpers";

// Merged code runs as CI's apply role. These are the escalation paths a reviewer found open: each
// is evaluated against the synthesized policies (the role's own and its permissions boundary),
// with IAM's evaluation logic (policy/iam-evaluation.ts, which documents what it models).
const inputs = fixtureInputs();
const env = inputs.environments[0]!;
const account = env.account.id;
const accountJson = synthJson(new AccountStack(Testing.app(), { accountId: account, environments: inputs.environments.filter((e) => e.account.id === account), backend: inputs.backend, project: inputs.project }));
const inline = (json: SynthesizedStack, roleAddress: string): Statement[] => policyStatements(json, json.resource.aws_iam_role_policy?.[`${roleAddress}_policy`]?.policy);
const managedPolicy = (json: SynthesizedStack, name: string): Statement[] => policyStatements(json, resourcesOf(json, "aws_iam_policy").find((p) => p.name === name)?.policy);

const ciBoundary: NamedPolicies = { "CI boundary": managedPolicy(accountJson, CI_BOUNDARY_NAME) };
const applyRole: NamedPolicies = { "apply role": inline(accountJson, `github_${env.name}-apply`) };
const envBoundaryArn = PermissionsBoundary.arnFor(account, permissionsBoundaryName(env));
const ciBoundaryArn = `arn:aws:iam::${account}:policy${BOUNDARY_PATH}${CI_BOUNDARY_NAME}`;
const asApply = (request: IamRequest) => evaluate(request, applyRole, ciBoundary);
const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;

describe("CI's apply role cannot make itself, or anything, more than its boundaries allow", () => {
  it("cannot rewrite its own trust policy (which would let any branch or repository assume it)", () => {
    expect(asApply({ action: "iam:UpdateAssumeRolePolicy", resource: ciRoleArn(env, "apply") })).toMatchObject({ decision: "ExplicitDeny", by: expect.arrayContaining(["apply role: DenyChangingCiRoles", "CI boundary: DenyChangingCiRoles"]) });
  });

  it("cannot put a new version on any permissions boundary, nor delete or re-default one", () => {
    for (const boundary of [envBoundaryArn, ciBoundaryArn]) {
      for (const action of ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy"]) {
        expect({ boundary, action, ...asApply({ action, resource: boundary }) }).toMatchObject({ decision: "ExplicitDeny" });
      }
    }
  });

  it("cannot attach AdministratorAccess to a role it creates with the boundary, nor any policy but the platform's own", () => {
    const attach = (policy: string) => asApply({ action: "iam:AttachRolePolicy", resource: role(`${env.name}-x`), context: { "iam:PolicyARN": policy, "iam:PermissionsBoundary": envBoundaryArn } });
    expect(attach("arn:aws:iam::aws:policy/AdministratorAccess")).toMatchObject({ decision: "ExplicitDeny", by: expect.arrayContaining(["apply role: DenyAttachingOtherPolicies"]) });
    expect(attach(`arn:aws:iam::${account}:policy/${env.name}-anything`)).toMatchObject({ decision: "ExplicitDeny" });
    // The evaluation is not vacuous: what the platform needs is allowed.
    expect(attach(MANAGED_POLICIES.eksWorkerNode)).toMatchObject({ decision: "Allow" });
  });

  it("cannot edit the plan or drift role into a writer, nor pass, delete or re-bound any CI role", () => {
    for (const kind of ["plan", "drift", "apply"] as const) {
      for (const action of ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:DeleteRole", "iam:PassRole", "iam:TagRole"]) {
        expect({ kind, action, ...asApply({ action, resource: ciRoleArn(env, kind), context: { "iam:PolicyARN": MANAGED_POLICIES.eksWorkerNode, "iam:PermissionsBoundary": envBoundaryArn } }) }).toMatchObject({ decision: "ExplicitDeny" });
      }
    }
  });

  it("cannot make a role without the environment's boundary, or take a role's boundary off", () => {
    expect(asApply({ action: "iam:CreateRole", resource: role(`${env.name}-x`) })).toMatchObject({ decision: "ExplicitDeny" });
    expect(asApply({ action: "iam:CreateRole", resource: role(`${env.name}-x`), context: { "iam:PermissionsBoundary": ciBoundaryArn } })).toMatchObject({ decision: "ExplicitDeny" });
    expect(asApply({ action: "iam:DeleteRolePermissionsBoundary", resource: role(`${env.name}-app`) })).toMatchObject({ decision: "ExplicitDeny" });
    expect(asApply({ action: "iam:CreateRole", resource: role(`${env.name}-x`), context: { "iam:PermissionsBoundary": envBoundaryArn } })).toMatchObject({ decision: "Allow" });
    expect(asApply({ action: "iam:PutRolePolicy", resource: role(`${env.name}-app`), context: { "iam:PermissionsBoundary": envBoundaryArn } })).toMatchObject({ decision: "Allow" });
  });

  it("cannot change GitHub's OIDC provider, on which CI's trust rests", () => {
    for (const action of ["iam:AddClientIDToOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:DeleteOpenIDConnectProvider"]) {
      expect(asApply({ action, resource: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com` })).toMatchObject({ decision: "ExplicitDeny" });
    }
  });

  it("leaves CI's roles and the boundaries out of the names it manages: reserved paths", () => {
    expect(ciRoleArn(env, "apply")).toBe(`arn:aws:iam::${account}:role/ci/${env.name}-github-apply`);
    expect(envBoundaryArn).toBe(`arn:aws:iam::${account}:policy/boundaries/${env.name}-platform-boundary`);
    for (const kind of ["plan", "drift", "apply"]) expect(resourcesOf(accountJson, "aws_iam_role").find((r) => r.name === `${env.name}-github-${kind}`)).toMatchObject({ path: "/ci/" });
    expect(resourcesOf(accountJson, "aws_iam_policy").find((p) => p.name === CI_BOUNDARY_NAME)).toMatchObject({ path: "/boundaries/" });
  });
});

describe("CI's apply role can do what an apply of its environment needs", () => {
  it("reads back and tags the roles, policies and instance profiles it makes (the provider's default tags), and no CI role", () => {
    for (const [action, resource] of [
      ["iam:GetRole", role(`${env.name}-github-runner`)],
      ["iam:ListRolePolicies", role(`${env.name}-access-host`)],
      ["iam:GetInstanceProfile", `arn:aws:iam::${account}:instance-profile/${env.name}-access-host`],
      ["iam:TagInstanceProfile", `arn:aws:iam::${account}:instance-profile/${env.name}-access-host`],
      ["iam:CreateInstanceProfile", `arn:aws:iam::${account}:instance-profile/${env.name}-access-host`],
    ] as const) {
      expect([action, asApply({ action, resource }).decision]).toEqual([action, "Allow"]);
    }
    expect(asApply({ action: "iam:GetRole", resource: ciRoleArn(env, "plan") }).decision).not.toBe("Allow");
    expect(asApply({ action: "iam:TagInstanceProfile", resource: `arn:aws:iam::${account}:instance-profile/other-host` }).decision).not.toBe("Allow");
  });

  it("launches from Amazon's public AMI and resolves its public parameter, which belong to no account of ours", () => {
    expect(asApply({ action: "ec2:RunInstances", resource: "arn:aws:ec2:eu-west-1::image/ami-0123456789abcdef0", context: { "aws:ResourceAccount": "137112412989" } }).decision).toBe("Allow");
    expect(asApply({ action: "ssm:GetParameters", resource: "arn:aws:ssm:eu-west-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", context: { "aws:ResourceAccount": "aws" } }).decision).toBe("Allow");
    // Parameters of its own account stay within the account condition.
    expect(asApply({ action: "ssm:GetParameters", resource: `arn:aws:ssm:eu-west-1:210987654321:parameter/x`, context: { "aws:ResourceAccount": "210987654321" } }).decision).not.toBe("Allow");
  });
});

describe("no workload role has IAM write", () => {
  // The fixture's stacks as the global setup synthesized them once.
  const manifest = fixtureSynth.manifest();
  const network = fixtureSynth.stack(`${env.name}-network`);
  const envBoundary: NamedPolicies = { "environment boundary": managedPolicy(network, permissionsBoundaryName(env)) };
  const layers = ["eks", "iam", "database"].filter((l) => manifest[`${env.name}-${l}`]);
  const roles = layers.flatMap((layer) => {
    const json = fixtureSynth.stack(`${env.name}-${layer}`);
    return Object.keys(json.resource.aws_iam_role ?? {}).map((address) => ({ address: `${layer}: ${address}`, policies: { [address]: inline(json, address) } as NamedPolicies }));
  });

  it.each(roles.map((r) => [r.address, r] as const))("%s can neither make nor change roles, policies or boundaries", (_address, r) => {
    for (const action of ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary"]) {
      for (const resource of [role(`${env.name}-x`), ciRoleArn(env, "apply"), envBoundaryArn]) {
        // Even granted everything, the environment's boundary refuses it.
        expect({ action, resource, decision: evaluate({ action, resource, context: { "iam:PermissionsBoundary": envBoundaryArn, "iam:PolicyARN": MANAGED_POLICIES.eksWorkerNode } }, { everything: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, envBoundary).decision }).not.toMatchObject({ decision: "Allow" });
        expect({ action, resource, decision: evaluate({ action, resource }, r.policies, envBoundary).decision }).not.toMatchObject({ decision: "Allow" });
      }
    }
  });

  it("attaches only the platform's own managed policies, the ones CI may attach", () => {
    const environmentStacks = Object.keys(manifest).filter((id) => !id.startsWith("account-") && id !== "state-backend");
    expect(environmentStacks.length).toBeGreaterThan(10);
    const attached = environmentStacks.flatMap((id) => resourcesOf(fixtureSynth.stack(id), "aws_iam_role_policy_attachment").map((a) => String(a.policy_arn)));
    expect([...new Set(attached)].filter((arn) => !ATTACHABLE_POLICY_ARNS.includes(arn))).toEqual([]);
  });
});
