import { evaluate, evaluateCrossAccount, wildcardMatch } from "../../policy/iam-evaluation";

// The subset of IAM's evaluation logic the escalation tests rely on, each rule as the IAM User
// Guide states it (reference_policies_evaluation-logic.html, reference_policies_elements_condition_operators.html).
describe("IAM evaluation", () => {
  const allowAll = { p: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

  it("matches wildcards as IAM does: * across slashes, ? one character, actions without case", () => {
    expect(wildcardMatch("arn:aws:iam::1:role/dev-*", "arn:aws:iam::1:role/dev-app")).toBe(true);
    expect(wildcardMatch("arn:aws:iam::1:role/dev-*", "arn:aws:iam::1:role/ci/dev-github-apply")).toBe(false);
    expect(wildcardMatch("arn:aws:iam::1:instance-profile/karpenter/*", "arn:aws:iam::1:instance-profile/karpenter/eu-west-1/c/uid/c_1")).toBe(true);
    expect(wildcardMatch("s3:Get?bject", "s3:GetObject")).toBe(true);
    expect(evaluate({ action: "IAM:passrole", resource: "r" }, { p: [{ Effect: "Allow", Action: "iam:PassRole", Resource: "r" }] }).decision).toBe("Allow");
  });

  it("denies implicitly, lets an explicit Deny win, and needs the boundary to allow too", () => {
    expect(evaluate({ action: "s3:GetObject", resource: "x" }, { p: [] }).decision).toBe("ImplicitDeny");
    expect(evaluate({ action: "s3:GetObject", resource: "x" }, { ...allowAll, d: [{ Sid: "No", Effect: "Deny", Action: "s3:*", Resource: "*" }] })).toEqual({ decision: "ExplicitDeny", by: ["d: No"] });
    expect(evaluate({ action: "s3:GetObject", resource: "x" }, allowAll, { b: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] }).decision).toBe("ImplicitDeny");
    expect(evaluate({ action: "ec2:RunInstances", resource: "x" }, allowAll, { b: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] }).decision).toBe("Allow");
    expect(evaluate({ action: "ec2:RunInstances", resource: "x" }, allowAll, { b: [{ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "ec2:Run*", Resource: "*" }] }).decision).toBe("ExplicitDeny");
  });

  it("reads NotAction as every action but those listed", () => {
    const deny = { d: [{ Effect: "Deny", NotAction: ["iam:Get*", "iam:List*"], Resource: "arn:aws:iam::1:role/ci/*" }] };
    expect(evaluate({ action: "iam:GetRole", resource: "arn:aws:iam::1:role/ci/a" }, { ...allowAll, ...deny }).decision).toBe("Allow");
    expect(evaluate({ action: "iam:UpdateAssumeRolePolicy", resource: "arn:aws:iam::1:role/ci/a" }, { ...allowAll, ...deny }).decision).toBe("ExplicitDeny");
  });

  it("makes a missing key false for a positive operator and true for a negated one, unless IfExists", () => {
    const when = (Condition: Record<string, Record<string, string[]>>, context?: Record<string, string>) => evaluate({ action: "iam:CreateRole", resource: "r", context }, { p: [{ Effect: "Allow", Action: "iam:CreateRole", Resource: "*", Condition }] }).decision;
    expect(when({ StringEquals: { "iam:PermissionsBoundary": ["b"] } })).toBe("ImplicitDeny");
    expect(when({ StringNotEquals: { "iam:PermissionsBoundary": ["b"] } })).toBe("Allow");
    expect(when({ StringEqualsIfExists: { "iam:PermissionsBoundary": ["b"] } })).toBe("Allow");
    expect(when({ StringEquals: { "iam:PermissionsBoundary": ["b"] } }, { "iam:PermissionsBoundary": "b" })).toBe("Allow");
    expect(when({ ArnNotEquals: { "iam:PolicyARN": ["a"] } }, { "iam:PolicyARN": "a" })).toBe("ImplicitDeny");
    expect(when({ "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } }, { "aws:TagKeys": "a" })).toBe("Allow");
    expect(when({ "ForAnyValue:StringLike": { "aws:TagKeys": ["x*"] } }, { "aws:TagKeys": "a" })).toBe("ImplicitDeny");
    expect(when({ Null: { "iam:PermissionsBoundary": ["true"] } })).toBe("Allow");
  });

  it("needs both the identity's policies and the other account's resource policy to allow a cross-account request, for this principal", () => {
    const role = "arn:aws:iam::1:role/ops";
    const request = { action: "s3:PutObject", resource: "arn:aws:s3:::b/k" };
    const grant = (AWS: string, Effect = "Allow") => ({ bucket: [{ Sid: "G", Effect, Principal: { AWS }, Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k" }] });
    expect(evaluateCrossAccount(request, role, allowAll, undefined, grant(role))).toEqual({ decision: "Allow", by: ["p: (no Sid)", "bucket: G"] });
    expect(evaluateCrossAccount(request, role, allowAll, undefined, grant("arn:aws:iam::1:root")).decision).toBe("Allow");
    expect(evaluateCrossAccount(request, role, allowAll, undefined, grant("arn:aws:iam::1:role/other")).decision).toBe("ImplicitDeny");
    expect(evaluateCrossAccount(request, role, { p: [] }, undefined, grant(role)).decision).toBe("ImplicitDeny");
    expect(evaluateCrossAccount(request, role, allowAll, undefined, { ...grant(role), deny: grant("*", "Deny").bucket }).decision).toBe("ExplicitDeny");
    expect(() => evaluateCrossAccount(request, role, allowAll, undefined, { b: [{ Effect: "Allow", NotPrincipal: { AWS: "x" }, Action: "*", Resource: "*" } as never] })).toThrow("NotPrincipal is not modelled");
  });

  it("refuses an operator it does not model rather than guess", () => {
    expect(() => evaluate({ action: "a:b", resource: "r", context: { n: "1" } }, { p: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: { NumericLessThan: { n: ["2"] } } }] })).toThrow("condition operator NumericLessThan is not modelled by policy/iam-evaluation.ts");
  });
});
