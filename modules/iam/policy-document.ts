import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Construct } from "constructs";

/**
 * IAM policies as typed data, in the shape of IAM's own JSON (so they read like the AWS docs),
 * synthesized as `aws_iam_policy_document` data sources. Terraform computes those locally (no
 * API call), and in `cdk.tf.json` every statement, action and condition is a line of its own: a
 * one-statement change is a small diff, where a policy held as one JSON string rewrites a line
 * of up to thousands of characters (docs/architecture.md, "Policy documents").
 */

/** One statement of an IAM policy. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  /** What the statement covers; exactly one of Action and NotAction. */
  readonly Action?: string | readonly string[];
  /** Every action but these: for Deny statements only (an Allow with NotAction grants the future too; the policy pack refuses it). */
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  /** Every resource but these: for Deny statements only (a Deny of reads except of one's own state). At most one of Resource and NotResource. */
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

/** Props of {@link PolicyDocument}. */
export interface PolicyDocumentProps {
  /**
   * The statements; more can be added with {@link PolicyDocument.addStatements} (grants do).
   * @default - none
   */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * An IAM policy document (identity, resource or trust policy), rendered by Terraform from
 * structured statements. Use {@link PolicyDocument.json} wherever a policy string is expected.
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
 */
export class PolicyDocument extends Construct {
  /** The policy JSON, as Terraform renders it. */
  readonly json: string;
  private readonly data: DataAwsIamPolicyDocument;
  private readonly list: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: PolicyDocumentProps = {}) {
    super(scope, id);
    this.data = new DataAwsIamPolicyDocument(this, "Default", { version: "2012-10-17", statement: [] });
    this.json = this.data.json;
    this.addStatements(...(props.statements ?? []));
  }

  /** The statements so far. */
  get statements(): readonly PolicyStatement[] {
    return this.list;
  }

  /** Adds statements; a Sid already in the document is refused (IAM requires them unique). */
  addStatements(...statements: readonly PolicyStatement[]): void {
    for (const statement of statements) {
      if (statement.Sid && this.list.some((s) => s.Sid === statement.Sid)) {
        throw new Error(`${this.node.path}: a statement with Sid "${statement.Sid}" is already in the policy; Sids must be unique`);
      }
      this.list.push(statement);
    }
    this.data.putStatement(this.list.map(toTerraform));
  }
}

const list = (value: string | readonly string[]): string[] => (typeof value === "string" ? [value] : [...value]);

/** An IAM JSON statement in the data source's block form. */
export function toTerraform(s: PolicyStatement): DataAwsIamPolicyDocumentStatement {
  const principals =
    s.Principal === undefined
      ? undefined
      : s.Principal === "*"
        ? [{ type: "*", identifiers: ["*"] }]
        : Object.entries(s.Principal).map(([type, ids]) => ({ type, identifiers: list(ids) }));
  const condition = Object.entries(s.Condition ?? {}).flatMap(([test, byVariable]) =>
    Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: typeof values === "boolean" ? [String(values)] : list(values) })),
  );
  if ((s.Action === undefined) === (s.NotAction === undefined)) throw new Error(`statement ${s.Sid ?? "(no Sid)"}: give exactly one of Action and NotAction`);
  if (s.Resource !== undefined && s.NotResource !== undefined) throw new Error(`statement ${s.Sid ?? "(no Sid)"}: give at most one of Resource and NotResource`);
  return {
    sid: s.Sid,
    effect: s.Effect,
    actions: s.Action === undefined ? undefined : list(s.Action),
    notActions: s.NotAction === undefined ? undefined : list(s.NotAction),
    resources: s.Resource === undefined ? undefined : list(s.Resource),
    notResources: s.NotResource === undefined ? undefined : list(s.NotResource),
    principals,
    condition: condition.length ? condition : undefined,
  };
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
