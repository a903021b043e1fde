import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { load, Type, DEFAULT_SCHEMA } from "js-yaml";
import { BOUNDARY_SERVICES } from "../../modules/iam/permissions-boundary";
import { karpenterControllerStatements } from "../../modules/iam/policies/karpenter";
import { loadBalancerControllerStatements } from "../../modules/iam/policies/load-balancer-controller";
import { type PolicyStatement } from "../../modules/iam/policy-document";
import { ROOT, synthScope } from "../helpers";
import { PermissionsBoundary } from "../../modules/iam/permissions-boundary";

const scope = { region: "eu-west-1", accountId: "111111111111", clusterName: "dev-platform", nodeRoleArn: "arn:aws:iam::111111111111:role/dev-platform-nodes", queueArn: "arn:aws:sqs:eu-west-1:111111111111:dev-platform" };
const ours = karpenterControllerStatements(scope);

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
    const cfn = load(readFileSync(template, "utf8"), { schema }) as { Resources: Record<string, { Type: string; Properties: { PolicyDocument?: { "!Sub"?: string } } }> };
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
  });
});

describe("the environment's permissions boundary", () => {
  const boundary = JSON.parse(synthScope((s) => new PermissionsBoundary(s, "boundary", { name: "dev-platform-boundary", accountId: "111111111111", namePrefix: "dev-" }))) as {
    data: { aws_iam_policy_document: Record<string, { statement: Array<{ effect: string; actions: string[] }> }> };
  };
  const allows = Object.values(boundary.data.aws_iam_policy_document).flatMap((d) => d.statement).filter((s) => s.effect === "Allow").flatMap((s) => s.actions);
  const denies = Object.values(boundary.data.aws_iam_policy_document).flatMap((d) => d.statement).filter((s) => s.effect === "Deny").flatMap((s) => s.actions);
  const permitted = (action: string) => !denies.includes(action) && (allows.includes(action) || allows.includes(`${action.split(":")[0]}:*`));

  it.each([
    ["Karpenter", ours],
    ["the load balancer controller", loadBalancerControllerStatements({ region: "eu-west-1", accountId: "111111111111", vpcId: "vpc-1" })],
  ])("lets %s do every action its policy grants (a boundary denies what it does not allow)", (_name, statements) => {
    const actions = [...new Set(statements.filter((s) => s.Effect === "Allow").flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))];
    expect(actions.filter((a) => !permitted(a))).toEqual([]);
    // Zonal shift is allowed as the one read Karpenter needs, never the service's writes.
    expect(BOUNDARY_SERVICES).not.toContain("arc-zonal-shift");
  });
});
