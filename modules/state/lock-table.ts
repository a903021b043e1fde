import { DynamodbResourcePolicy } from "@cdktf/provider-aws/lib/dynamodb-resource-policy";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { PolicyDocument, type PolicyStatement } from "../iam/policy-document";
import { grantPrincipals, grantSid, keyGrantSid, type StateAccessGrant, type StateKeyGrant } from "./state-access";

/** Props of {@link LockTable}. */
export interface LockTableProps {
  /** Table name; must match `dynamodb_table` in backend.config. */
  readonly tableName: string;
  /** ARN of the KMS key that encrypts the table. */
  readonly kmsKeyArn: string;
  /** The state bucket: lock ids are `<bucket>/<key>`, which grants are scoped by. */
  readonly bucketName: string;
  /**
   * Roles that may take locks on their own key prefix.
   * @default - none: only IAM principals of the table's account, through their own policies
   */
  readonly grants?: readonly StateAccessGrant[];
  /**
   * Roles that may take the lock of exactly one state key (and write its digest item).
   * @default - none
   */
  readonly keyGrants?: readonly StateKeyGrant[];
}

/**
 * The DynamoDB table Terraform's S3 backend locks state with: `LockID` hash key, on-demand
 * (locks are rare and tiny), point-in-time recovery, KMS encryption, deletion protection, and
 * `prevent_destroy`.
 */
export class LockTable extends Construct {
  /** The table. */
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: LockTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "Default", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
    const keyGrants = (props.keyGrants ?? []).filter((grant) => grant.writers.length > 0);
    if (props.grants?.length || keyGrants.length) {
      const document = new PolicyDocument(this, "policy-document", {
        statements: [
          ...(props.grants ?? []).flatMap((grant): PolicyStatement[] => [
            {
              Sid: `Lock${grantSid(grant)}State`,
              Effect: "Allow",
              Principal: { AWS: grantPrincipals(grant) },
              Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
              Resource: this.table.arn,
              // Lock ids are "<bucket>/<key>" (and "<bucket>/<key>-md5"): only this prefix's keys.
              Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${props.bucketName}/${grant.prefix}*`] } },
            },
            // The "-md5" item is the digest of the state a writer stored; a reader must not change it.
            ...(grant.readers?.length
              ? [
                  <PolicyStatement>{
                    Sid: `Readers${grantSid(grant)}KeepTheDigest`,
                    Effect: "Deny",
                    Principal: { AWS: [...grant.readers] },
                    Action: ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"],
                    Resource: this.table.arn,
                    Condition: { "ForAnyValue:StringLike": { "dynamodb:LeadingKeys": ["*-md5"] } },
                  },
                ]
              : []),
          ]),
          ...keyGrants.map(
            (grant): PolicyStatement => ({
              Sid: `Lock${keyGrantSid(grant)}State`,
              Effect: "Allow",
              Principal: { AWS: [...grant.writers] },
              Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
              Resource: this.table.arn,
              // This key's lock and digest items only.
              Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`${props.bucketName}/${grant.key}`, `${props.bucketName}/${grant.key}-md5`] } },
            }),
          ),
        ],
      });
      new DynamodbResourcePolicy(this, "policy", { resourceArn: this.table.arn, policy: document.json });
    }
  }
}
