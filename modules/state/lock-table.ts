import { DynamodbResourcePolicy } from "@cdktf/provider-aws/lib/dynamodb-resource-policy";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { PolicyDocument, type PolicyStatement } from "../iam/policy-document";
import { grantSid, keyGrantPrincipals, keyGrantSid, type StateAccessGrant, type StateKeyGrant } from "./state-access";

/** Props of {@link LockTable}. */
export interface LockTableProps {
  /** Table name; must match `dynamodb_table` in backend.config. */
  readonly tableName: string;
  /** ARN of the KMS key that encrypts the table. */
  readonly kmsKeyArn: string;
  /** The state bucket: lock ids are `<bucket>/<key>`, which grants are scoped by. */
  readonly bucketName: string;
  /**
   * Roles that may take locks on their own key prefix, and write its digest items (writers), or
   * only read those digests (readers: the S3 backend compares them with the state it reads).
   * @default - none: only IAM principals of the table's account, through their own policies
   */
  readonly grants?: readonly StateAccessGrant[];
  /**
   * Roles that may take the lock of exactly one state key and write its digest item (writers), or
   * only read that digest (readers).
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
    const grants = (props.grants ?? []).filter((grant) => (grant.readers?.length ?? 0) + (grant.writers?.length ?? 0) > 0);
    const keyGrants = (props.keyGrants ?? []).filter((grant) => keyGrantPrincipals(grant).length > 0);
    if (grants.length || keyGrants.length) {
      // Lock ids are "<bucket>/<key>" and digests "<bucket>/<key>-md5". Writers lock and write
      // digests; readers only read digests: they plan with -lock=false, so none can take or
      // delete a writer's lock item, nor change the digest of a state it did not write.
      const lock = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"];
      const statement = (sid: string, principals: readonly string[] | undefined, actions: readonly string[], condition: PolicyStatement["Condition"]): PolicyStatement[] =>
        principals?.length ? [{ Sid: sid, Effect: "Allow", Principal: { AWS: [...principals] }, Action: [...actions], Resource: this.table.arn, Condition: condition }] : [];
      const document = new PolicyDocument(this, "policy-document", {
        statements: [
          ...grants.flatMap((grant) => {
            const keys = { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${props.bucketName}/${grant.prefix}*`] } };
            return [...statement(`Lock${grantSid(grant)}State`, grant.writers, lock, keys), ...statement(`Read${grantSid(grant)}StateDigests`, grant.readers, ["dynamodb:GetItem"], keys)];
          }),
          ...keyGrants.flatMap((grant) => [
            // This key's lock and digest items only.
            ...statement(`Lock${keyGrantSid(grant)}State`, grant.writers, lock, { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`${props.bucketName}/${grant.key}`, `${props.bucketName}/${grant.key}-md5`] } }),
            ...statement(`Read${keyGrantSid(grant)}StateDigest`, grant.readers, ["dynamodb:GetItem"], { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`${props.bucketName}/${grant.key}-md5`] } }),
          ]),
        ],
      });
      new DynamodbResourcePolicy(this, "policy", { resourceArn: this.table.arn, policy: document.json });
    }
  }
}
