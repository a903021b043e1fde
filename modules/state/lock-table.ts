import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";

/** Props of {@link LockTable}. */
export interface LockTableProps {
  /** Table name; must match `dynamodb_table` in backend.config. */
  readonly tableName: string;
  /** ARN of the KMS key that encrypts the table. */
  readonly kmsKeyArn: string;
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
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
