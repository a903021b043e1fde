import { DynamodbResourcePolicy } from "@cdktf/provider-aws/lib/dynamodb-resource-policy";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { PolicyDocument } from "../iam/policy-document";
import { grantSid, type StateAccessGrant } from "./state-access";

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
    if (props.grants?.length) {
      const document = new PolicyDocument(this, "policy-document", {
        statements: props.grants.map((grant) => ({
          Sid: `Lock${grantSid(grant)}State`,
          Effect: "Allow",
          Principal: { AWS: [...grant.principals] },
          Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
          Resource: this.table.arn,
          // Lock ids are "<bucket>/<key>" (and "<bucket>/<key>-md5"): only this prefix's keys.
          Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${props.bucketName}/${grant.prefix}*`] } },
        })),
      });
      new DynamodbResourcePolicy(this, "policy", { resourceArn: this.table.arn, policy: document.json });
    }
  }
}
