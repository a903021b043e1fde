import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Testing } from "cdktf";
import { PermissionsBoundary } from "../../modules/iam/permissions-boundary";
import { PolicyDocument, serviceTrust } from "../../modules/iam/policy-document";
import { Role } from "../../modules/iam/role";
import { policyStatements, resourcesOf, synthScope, type SynthesizedStack } from "../helpers";

describe("PermissionsBoundary", () => {
  const text = Testing.synthScope((scope) => {
    const boundary = new PermissionsBoundary(scope, "boundary", { name: "test-platform-boundary", accountId: "123456789012", namePrefix: "test-" });
    // A role in the same stack refers to the policy, so Terraform creates the policy first.
    new IamRole(scope, "role", { assumeRolePolicy: "{}", permissionsBoundary: boundary.arn });
  });
  const json = JSON.parse(text) as SynthesizedStack;
  const statements = policyStatements(json, resourcesOf(json, "aws_iam_policy")[0]?.policy) as Array<{ Sid: string; Effect: string; Action: string[]; Resource: string }>;

  it("is a named, described managed policy", () => {
    expect(text).toHaveResourceWithProperties(IamPolicy, { name: "test-platform-boundary", description: "Permissions boundary of the platform's roles: the most any of them can ever do" });
  });

  it("caps roles at the platform's services", () => {
    const ceiling = statements.find((s) => s.Sid === "CeilingPlatformServices");
    expect(ceiling?.Action).toEqual(expect.arrayContaining(["ec2:*", "kms:*", "logs:*", "rds-db:*", "kafka-cluster:*"]));
    expect(ceiling?.Action).not.toContain("iam:*");
    expect(ceiling?.Action).not.toContain("*");
  });

  it("denies tampering with the boundary, long-lived credentials and leaving the organization", () => {
    const denied = statements.filter((s) => s.Effect === "Deny").flatMap((s) => s.Action);
    expect(denied).toEqual(expect.arrayContaining(["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:CreateAccessKey", "iam:CreateUser", "organizations:LeaveOrganization"]));
  });

  it("is referenced, not named, by roles in its own stack (creation order)", () => {
    expect(resourcesOf(json, "aws_iam_role")[0]?.permissions_boundary).toBe("${aws_iam_policy.boundary.arn}");
    expect(PermissionsBoundary.arnFor("123456789012", "x")).toBe("arn:aws:iam::123456789012:policy/boundaries/x");
  });
});

describe("policy documents", () => {
  it("synthesize as aws_iam_policy_document data sources, a line per action, principal and condition value", () => {
    const text = Testing.synthScope((scope) => {
      new PolicyDocument(scope, "doc", {
        statements: [
          { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::b/*"] },
          { Sid: "Tls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": false } } },
          { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::123456789012:role/a"] }, Action: ["sts:AssumeRole"] },
        ],
      });
    });
    expect(JSON.parse(text).data.aws_iam_policy_document.doc).toMatchObject({
      version: "2012-10-17",
      statement: [
        { sid: "Read", effect: "Allow", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] },
        { sid: "Tls", effect: "Deny", principals: [{ type: "*", identifiers: ["*"] }], actions: ["s3:*"], resources: ["*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
        { effect: "Allow", principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:role/a"] }], actions: ["sts:AssumeRole"] },
      ],
    });
  });

  it("refuse a second statement with the same Sid", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new PolicyDocument(scope, "doc", { statements: [{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }).addStatements({ Sid: "A", Effect: "Allow", Action: "s3:PutObject", Resource: "*" });
      }),
    ).toThrow('doc: a statement with Sid "A" is already in the policy; Sids must be unique');
  });

  it("bind service trust to the account, and to a source ARN when given", () => {
    expect(serviceTrust("logs.amazonaws.com", "123456789012")).toEqual({
      Effect: "Allow",
      Principal: { Service: "logs.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    expect(serviceTrust("x.amazonaws.com", "1", "arn:aws:x:*").Condition).toEqual({ StringEquals: { "aws:SourceAccount": "1" }, ArnLike: { "aws:SourceArn": "arn:aws:x:*" } });
  });
});

describe("Role", () => {
  const base = { name: "app", description: "The app", permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/b", trust: [serviceTrust("ec2.amazonaws.com", "123456789012")] };

  it("carries the boundary, trusts whom it is told, and attaches managed policies one by one", () => {
    const text = synthScope((scope) => {
      new Role(scope, "app", { ...base, managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"] });
    });
    expect(text).toHaveResourceWithProperties(IamRole, { name: "app", permissions_boundary: "arn:aws:iam::123456789012:policy/b", assume_role_policy: "${data.aws_iam_policy_document.app_trust.json}" });
    expect(JSON.parse(text).resource.aws_iam_role_policy_attachment).toEqual({
      "app_AmazonSSMManagedInstanceCore": expect.objectContaining({ policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", role: "${aws_iam_role.app.name}" }),
    });
  });

  it("has no inline policy until something is granted", () => {
    const text = synthScope((scope) => {
      new Role(scope, "app", base);
    });
    expect(JSON.parse(text).resource.aws_iam_role_policy).toBeUndefined();
  });

  it("refuses to be built without a boundary or a trust policy", () => {
    expect(() => synthScope((scope) => new Role(scope, "app", { ...base, permissionsBoundaryArn: "" }))).toThrow("app: permissionsBoundaryArn is required");
    expect(() => synthScope((scope) => new Role(scope, "app", { ...base, trust: [] }))).toThrow("app: trust must name who may assume the role");
  });
});

it("PermissionsBoundary and Role match their snapshots", () => {
  const text = synthScope((scope) => {
    const boundary = new PermissionsBoundary(scope, "boundary", { name: "test-platform-boundary", accountId: "123456789012", namePrefix: "test-" });
    new Role(scope, "role", {
      name: "test-role",
      description: "A role",
      permissionsBoundaryArn: boundary.arn,
      trust: [serviceTrust("ec2.amazonaws.com", "123456789012")],
      statements: [{ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }],
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
    });
  });
  expect(JSON.parse(text)).toMatchSnapshot();
});
