/**
 * IAM policy documents as typed data. They are rendered to JSON at synth time (instead of an
 * `aws_iam_policy_document` data source) so the synthesized Terraform shows the policy itself,
 * reviewers read it in the diff, and the policy pack can inspect it.
 */

/** One statement of an IAM policy. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

/** An IAM policy document (identity, resource or trust policy). */
export interface PolicyDocument {
  readonly Version?: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** The JSON of a policy document, with the current policy language version. */
export function policyJson(document: PolicyDocument): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: document.Statement });
}

/** A statement that lets a service assume a role, bound to this account (confused-deputy guard). */
export function serviceTrust(service: string, accountId: string, sourceArnPattern?: string): PolicyStatement {
  return {
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": accountId },
      ...(sourceArnPattern ? { ArnLike: { "aws:SourceArn": sourceArnPattern } } : {}),
    },
  };
}
