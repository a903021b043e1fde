import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Testing } from "cdktf";
import { PermissionsBoundary } from "../../modules/iam/permissions-boundary";
import { policyJson, serviceTrust } from "../../modules/iam/policy-document";
import { resourcesOf, type SynthesizedStack } from "../helpers";

describe("PermissionsBoundary", () => {
  const text = Testing.synthScope((scope) => {
    const boundary = new PermissionsBoundary(scope, "boundary", { name: "test-platform-boundary", accountId: "123456789012" });
    // A role in the same stack refers to the policy, so Terraform creates the policy first.
    new IamRole(scope, "role", { assumeRolePolicy: "{}", permissionsBoundary: boundary.arn });
  });
  const json = JSON.parse(text) as SynthesizedStack;
  const statements = JSON.parse(String(resourcesOf(json, "aws_iam_policy")[0]?.policy)).Statement as Array<{ Sid: string; Effect: string; Action: string[]; Resource: string }>;

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
    expect(resourcesOf(json, "aws_iam_role")[0]?.permissions_boundary).toMatch(/^\$\{aws_iam_policy\.boundary_policy_\w+\.arn\}$/);
    expect(PermissionsBoundary.arnFor("123456789012", "x")).toBe("arn:aws:iam::123456789012:policy/x");
  });
});

describe("policy documents", () => {
  it("render with the current policy language version", () => {
    expect(JSON.parse(policyJson({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
    });
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
