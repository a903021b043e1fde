import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { load, Type, DEFAULT_SCHEMA } from "js-yaml";
import { BOUNDARY_SERVICES } from "../../modules/iam/permissions-boundary";
import { karpenterControllerStatements } from "../../modules/iam/policies/karpenter";
import { loadBalancerControllerStatements } from "../../modules/iam/policies/load-balancer-controller";
import { type PolicyStatement } from "../../modules/iam/policy-document";
import { Testing } from "cdktf";
import { clusterName } from "../../config";
import { INTERRUPTION_EVENTS } from "../../modules/eks/interruption-queue";
import { PermissionsBoundary } from "../../modules/iam/permissions-boundary";
import { IamStack } from "../../stacks/iam-stack";
import { fixtureInputs, policyStatements, ROOT, synthJson, synthScope } from "../helpers";

// The policy as the synthesized <env>-iam stack has it: its node role and queue are references.
const inputs = fixtureInputs();
const env = inputs.environments.find((e) => e.eks.karpenter)!;
const iam = synthJson(new IamStack(Testing.app(), { env, backend: inputs.backend, project: inputs.project }));
const scope = {
  region: env.account.region,
  accountId: env.account.id,
  clusterName: clusterName(env),
  nodeRoleArn: "${data.terraform_remote_state.eks.outputs.node_role_arn}",
  queueArn: "${aws_sqs_queue.karpenter-interruption-queue.arn}",
};
const ours = policyStatements(iam, iam.resource.aws_iam_role_policy?.["karpenter_policy"]?.policy) as unknown as PolicyStatement[];

/** A statement with its lists sorted, for comparing by content. */
function normal(s: PolicyStatement) {
  const sorted = (v: unknown) => (Array.isArray(v) ? [...v].sort() : [v]);
  const condition = Object.fromEntries(
    Object.entries(s.Condition ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([test, vars]) => [test, Object.fromEntries(Object.entries(vars as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]))]),
  );
  return { Sid: s.Sid, Effect: s.Effect, Action: sorted(s.Action), Resource: sorted(s.Resource), Condition: condition };
}

describe("Karpenter's controller policy", () => {
  // The upstream template of the pinned version; its policies are CloudFormation `!Sub` strings.
  const template = path.join(ROOT, "..", "shared", "reference", "iam", "karpenter-1.14.1-cloudformation.yaml");
  const check = existsSync(template) ? it : it.skip;

  check(`has every statement of the upstream v1.14.1 CloudFormation policies, scoped as upstream scopes them${existsSync(template) ? "" : " (skipped: ../shared/reference is not beside this clone)"}`, () => {
    const tag = (name: string, kind: "scalar" | "sequence") => new Type(name, { kind, construct: (data: unknown) => ({ [name]: data }) });
    const schema = DEFAULT_SCHEMA.extend([tag("!Sub", "scalar"), tag("!Sub", "sequence"), tag("!GetAtt", "scalar"), tag("!Ref", "scalar")]);
    const cfn = load(readFileSync(template, "utf8"), { schema }) as { Resources: Record<string, { Type: string; Properties: { PolicyDocument?: { "!Sub"?: string }; EventPattern?: { "detail-type": string[] } } }> };
    const substitutions: Record<string, string> = {
      "AWS::Partition": "aws",
      "AWS::Region": scope.region,
      "AWS::AccountId": scope.accountId,
      ClusterName: scope.clusterName,
      "KarpenterNodeRole.Arn": scope.nodeRoleArn,
      "KarpenterInterruptionQueue.Arn": scope.queueArn,
    };
    const upstream = Object.values(cfn.Resources)
      .filter((r) => r.Type === "AWS::IAM::ManagedPolicy" && typeof r.Properties.PolicyDocument?.["!Sub"] === "string")
      .flatMap((r) => (JSON.parse(r.Properties.PolicyDocument!["!Sub"]!.replace(/\$\{([^}]+)\}/g, (_, name: string) => substitutions[name] ?? `<unknown ${name}>`)) as { Statement: PolicyStatement[] }).Statement);
    expect(upstream.length).toBe(18);
    // Same Sids, and each statement the same actions, resources and conditions: a chart bump shows every difference here.
    expect(ours.map(normal).sort((a, b) => String(a.Sid).localeCompare(String(b.Sid)))).toEqual(upstream.map(normal).sort((a, b) => String(a.Sid).localeCompare(String(b.Sid))));
    expect(karpenterControllerStatements(scope).map(normal)).toEqual(ours.map(normal));
    // And the interruption queue hears every event upstream's rules send it.
    const events = Object.values(cfn.Resources).filter((r) => r.Type === "AWS::Events::Rule").flatMap((r) => r.Properties.EventPattern!["detail-type"]);
    expect(Object.values(INTERRUPTION_EVENTS).flatMap((e) => e["detail-type"]).sort()).toEqual(events.sort());
  });
});

describe("the environment's permissions boundary", () => {
  const boundary = JSON.parse(
    synthScope((s) => new PermissionsBoundary(s, "boundary", { name: `${env.name}-platform-boundary`, accountId: env.account.id, namePrefix: `${env.name}-`, karpenter: { region: env.account.region, clusterName: clusterName(env) } })),
  ) as { data: { aws_iam_policy_document: Record<string, { statement: Array<{ effect: string; actions: string[]; resources: string[] }> }> } };
  const statements = Object.values(boundary.data.aws_iam_policy_document).flatMap((d) => d.statement);
  /** IAM's wildcards: `*` any run of characters (slashes too), `?` one. */
  const matches = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value);
  const covers = (s: { actions: string[]; resources: string[] }, action: string, resource: string) => s.actions.some((a) => matches(a, action)) && s.resources.some((r) => matches(r, resource));
  /** What the boundary lets through, by Action and Resource (its statements have no conditions). */
  const permitted = (action: string, resource: string) => !statements.some((s) => s.effect === "Deny" && covers(s, action, resource)) && statements.some((s) => s.effect === "Allow" && covers(s, action, resource));

  it.each([
    ["Karpenter", ours],
    ["the load balancer controller", loadBalancerControllerStatements({ region: env.account.region, accountId: env.account.id, vpcId: "vpc-1" })],
  ])("lets %s do every action its policy grants, on the services' resources (a boundary denies what it does not allow)", (_name, granted) => {
    const actions = [...new Set(granted.filter((s) => s.Effect === "Allow").flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))];
    expect(actions.filter((a) => !permitted(a, "*") && !a.startsWith("iam:"))).toEqual([]);
    // Zonal shift is allowed as the one read Karpenter needs, never the service's writes.
    expect(BOUNDARY_SERVICES).not.toContain("arc-zonal-shift");
  });

  it("lets Karpenter manage the instance profiles it makes, which live under an IAM path: /karpenter/<region>/<cluster>/<node class uid>/", () => {
    // aws/karpenter-provider-aws pkg/providers/instanceprofile: CreateInstanceProfile with that
    // Path, named <cluster>_<hash>; ListNodeClassProfiles by PathPrefix.
    const profile = `arn:aws:iam::${env.account.id}:instance-profile/karpenter/${env.account.region}/${clusterName(env)}/0f5e7c1a-1111-2222-3333-444455556666/${clusterName(env)}_1234567890`;
    const actions = ["iam:CreateInstanceProfile", "iam:TagInstanceProfile", "iam:GetInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"];
    expect(actions.filter((a) => !permitted(a, profile))).toEqual([]);
    expect(permitted("iam:ListInstanceProfiles", "*")).toBe(true);
    expect(permitted("iam:PassRole", `arn:aws:iam::${env.account.id}:role/${clusterName(env)}-nodes`)).toBe(true);
    // Another cluster's profiles stay out of reach.
    expect(permitted("iam:DeleteInstanceProfile", profile.replace(clusterName(env), "other-platform"))).toBe(false);
  });
});
