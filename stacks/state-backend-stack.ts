import { LocalBackend, TerraformOutput } from "cdktf";
import { type Construct } from "constructs";
import { type BackendSettings, ConfigError, type ProjectSettings, terraformName } from "../config";
import { type StateBackendResources } from "../modules/ci/state-backend-roles";
import { EncryptionKey } from "../modules/kms/encryption-key";
import { LockTable } from "../modules/state/lock-table";
import { grantPrincipals, keyGrantPrincipals, type StateAccessGrant, type StateKeyGrant } from "../modules/state/state-access";
import { accessLogBucketName, STATE_ACCESS_LOG_KEY_ALIAS, STATE_ACCESS_TRAIL_NAME, StateAccessTrail } from "../modules/state/state-access-trail";
import { StateBucket } from "../modules/state/state-bucket";
import { configureS3Backend } from "./environment-stack";
import { awsProvider } from "./aws-provider";
import { PlatformStack } from "./platform-stack";

/** Stack id of the state backend. Part of the interface: never rename it. */
export const STATE_BACKEND_STACK_ID = "state-backend";

/** The tag on every resource of the stack (its provider's default tags); CI's apply role creates keys only with it. */
export const STATE_BACKEND_TAG = { key: "component", value: "terraform-state" } as const;

/** What the stack manages, by the names backend.config gives it: CI's state roles are scoped to these. */
export function stateBackendResources(backend: BackendSettings): StateBackendResources {
  return {
    bucket: backend.bucket,
    accessLogBucket: accessLogBucketName(backend.bucket),
    trailName: STATE_ACCESS_TRAIL_NAME,
    kmsAliases: [backend.kmsAliasName, STATE_ACCESS_LOG_KEY_ALIAS],
    lockTable: backend.dynamodbTable,
    tag: STATE_BACKEND_TAG,
  };
}

/** Construct id of the lock table: its addresses, which a retired table's `removed` block names. */
const LOCK_TABLE_ID = "lock-table";

/** Props of {@link StateBackendStack}. */
export interface StateBackendStackProps {
  /** Remote-state settings from backend.config. */
  readonly backend: BackendSettings;
  /** Project-wide settings from cdktf.json. */
  readonly project: ProjectSettings;
  /**
   * Per-environment access to the state (from every environment's `account.stateReaderArns` and `stateWriterArns`,
   * whichever environments are being synthesized, so this stack never depends on `--env`).
   * @default - none
   */
  readonly access?: readonly StateAccessGrant[];
  /**
   * Access to single state keys: each account stack's operator roles (write) and plan role (read) to `bootstrap/account-<id>.tfstate`.
   * @default - none
   */
  readonly keyAccess?: readonly StateKeyGrant[];
}

/**
 * `state-backend`: the KMS key, S3 bucket and DynamoDB lock table that hold every other stack's
 * state, in the account and region backend.config names, and the trail that records who read or
 * wrote which state object. The stateful ones carry `prevent_destroy`.
 *
 * Its own state is local for the first apply (the bucket does not exist yet) and moves into the
 * bucket once `stateBackendStorage` is switched to `s3` in cdktf.json (README, "Bootstrap").
 */
export class StateBackendStack extends PlatformStack {
  constructor(scope: Construct, props: StateBackendStackProps) {
    super(scope, STATE_BACKEND_STACK_ID);
    const { backend, project } = props;
    if (project.stateBackendStorage === "s3") {
      configureS3Backend(this, backend, `${STATE_BACKEND_STACK_ID}/terraform.tfstate`);
    } else {
      // A relative path keeps the synthesized JSON identical on every machine; Terraform runs
      // in cdktf.out/stacks/state-backend, so this is the project root.
      new LocalBackend(this, { path: "../../../terraform.state-backend.tfstate" });
    }
    awsProvider(this, { region: backend.region, accountId: backend.accountId, tags: { [STATE_BACKEND_TAG.key]: STATE_BACKEND_TAG.value, "managed-by": "cdktf", repository: project.repository } });

    const access = (props.access ?? []).filter((grant) => grantPrincipals(grant).length > 0);
    const keyAccess = (props.keyAccess ?? []).filter((grant) => keyGrantPrincipals(grant).length > 0);
    const principals = [...new Set([...access.flatMap(grantPrincipals), ...keyAccess.flatMap(keyGrantPrincipals)])].sort();
    const key = new EncryptionKey(this, "key", {
      description: "Encrypts Terraform state and its lock table",
      aliasName: backend.kmsAliasName,
      accountId: backend.accountId,
      preventDestroy: true,
      // State roles use the key only through S3 and DynamoDB, never directly.
      statements: principals.length
        ? [
            {
              Sid: "StateRolesThroughS3AndDynamoDB",
              Effect: "Allow",
              Principal: { AWS: principals },
              Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
              Resource: "*",
              Condition: { StringEquals: { "kms:ViaService": [`s3.${backend.region}.amazonaws.com`, `dynamodb.${backend.region}.amazonaws.com`] } },
            },
          ]
        : [],
    });
    const bucket = new StateBucket(this, "bucket", { bucketName: backend.bucket, kmsKeyArn: key.arn, grants: access, keyGrants: keyAccess });
    new TerraformOutput(this, "bucket_arn", { value: bucket.arn, description: "ARN of the state bucket" });
    // State holds secrets (the state of every stack): who read or wrote which object is recorded.
    const trail = new StateAccessTrail(this, "access-trail", { stateBucketName: backend.bucket, accountId: backend.accountId, region: backend.region });
    new TerraformOutput(this, "access_log_bucket", { value: trail.bucket.bucket, description: "Bucket of the state access records (CloudTrail data events)" });
    new TerraformOutput(this, "kms_key_arn", { value: key.arn, description: "ARN of the state KMS key" });
    if (backend.dynamodbTable) {
      if (project.retiredLockTable) {
        throw new ConfigError([
          { file: "cdktf.json", field: "context.retiredLockTable", value: project.retiredLockTable, message: `retires a lock table while backend.config still locks with "${backend.dynamodbTable}"; drop dynamodb_table from backend.config first (README, "Moving to S3-native locking")` },
        ]);
      }
      const table = new LockTable(this, LOCK_TABLE_ID, { tableName: backend.dynamodbTable, kmsKeyArn: key.arn, bucketName: backend.bucket, grants: access, keyGrants: keyAccess });
      new TerraformOutput(this, "lock_table_arn", { value: table.table.arn, description: "ARN of the lock table" });
    } else if (project.retiredLockTable) {
      // Forgotten, not destroyed: the table (and its data, the locks' history) stays in AWS.
      // cdktf 0.21 has no construct for `removed` blocks (Terraform >= 1.7).
      this.addOverride(
        "removed",
        [`aws_dynamodb_table.${terraformName([LOCK_TABLE_ID])}`, `aws_dynamodb_resource_policy.${terraformName([LOCK_TABLE_ID, "policy"])}`].map((from) => ({ from, lifecycle: { destroy: false } })),
      );
    }
  }
}
