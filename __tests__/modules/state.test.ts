import { DynamodbResourcePolicy } from "@cdktf/provider-aws/lib/dynamodb-resource-policy";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Testing } from "cdktf";
import { EncryptionKey } from "../../modules/kms/encryption-key";
import { LockTable } from "../../modules/state/lock-table";
import { StateBucket } from "../../modules/state/state-bucket";

describe("EncryptionKey", () => {
  const synth = (preventDestroy?: boolean) =>
    Testing.synthScope((scope) => {
      new EncryptionKey(scope, "key", {
        description: "test",
        aliasName: "alias/test",
        accountId: "123456789012",
        preventDestroy,
        statements: [{ Sid: "Service", Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "kms:Decrypt*", Resource: "*" }],
      });
    });

  it("rotates, waits 30 days before deletion, and has an alias", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(out).toHaveResourceWithProperties(KmsAlias, { name: "alias/test" });
  });

  it("delegates to the account's IAM and appends the caller's statements", () => {
    const key = Object.values(JSON.parse(synth()).resource.aws_kms_key)[0] as { policy: string };
    expect(JSON.parse(key.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "EnableIamPoliciesOfTheAccount", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
        { Sid: "Service", Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "kms:Decrypt*", Resource: "*" },
      ],
    });
  });

  it("adds prevent_destroy only when asked", () => {
    expect(synth(true)).toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: true } });
    expect(synth(false)).not.toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: true } });
  });
});

describe("StateBucket", () => {
  const out = Testing.synthScope((scope) => {
    new StateBucket(scope, "state", { bucketName: "acme-state", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" });
  });

  it("is protected from destroy", () => {
    expect(out).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-state", lifecycle: { prevent_destroy: true } });
  });

  it("is versioned and encrypted with the KMS key and a bucket key", () => {
    expect(out).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(out).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "arn:aws:kms:eu-west-1:123456789012:key/k" }, bucket_key_enabled: true }],
    });
  });

  it("blocks every kind of public access and disables ACLs", () => {
    expect(out).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(out).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  it("denies any request not made over TLS", () => {
    const policy = Object.values(JSON.parse(out).resource.aws_s3_bucket_policy)[0] as { policy: string };
    expect(JSON.parse(policy.policy).Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": false } } }),
    ]);
    expect(out).toHaveResource(S3BucketPolicy);
  });

  it("expires old state versions and aborts incomplete uploads", () => {
    expect(out).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        expect.objectContaining({ id: "expire-noncurrent-versions", status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 90 }] }),
        expect.objectContaining({ id: "abort-incomplete-uploads", status: "Enabled", abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
      ],
    });
  });
});

describe("LockTable", () => {
  it("is a LockID table, on demand, with PITR, KMS, deletion protection and prevent_destroy", () => {
    const out = Testing.synthScope((scope) => {
      new LockTable(scope, "lock", { tableName: "acme-lock", kmsKeyArn: "arn:k", bucketName: "acme-state" });
    });
    expect(out).toHaveResourceWithProperties(DynamodbTable, {
      name: "acme-lock",
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: "arn:k" },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });
});

describe("state access grants", () => {
  const grants = [{ prefix: "dev/", principals: ["arn:aws:iam::111111111111:role/plan"] }];
  const policyOf = (text: string, type: string) =>
    JSON.parse(String((Object.values(JSON.parse(text).resource[type])[0] as { policy: string }).policy)).Statement as Array<Record<string, unknown>>;

  it("lets each environment's roles list and use only their own prefix of the bucket", () => {
    const text = Testing.synthScope((scope) => {
      new StateBucket(scope, "state", { bucketName: "acme-state", kmsKeyArn: "arn:k", grants });
    });
    const statements = policyOf(text, "aws_s3_bucket_policy");
    expect(statements.slice(1)).toEqual([
      expect.objectContaining({ Sid: "ListDevState", Action: "s3:ListBucket", Principal: { AWS: grants[0]!.principals }, Condition: { StringLike: { "s3:prefix": ["dev/*"] } } }),
      expect.objectContaining({ Sid: "UseDevState", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: expect.stringMatching(/\.arn\}\/dev\/\*$/) }),
    ]);
  });

  it("lets them take locks only on their own keys", () => {
    const text = Testing.synthScope((scope) => {
      new LockTable(scope, "lock", { tableName: "acme-lock", kmsKeyArn: "arn:k", bucketName: "acme-state", grants });
    });
    expect(text).toHaveResource(DynamodbResourcePolicy);
    expect(policyOf(text, "aws_dynamodb_resource_policy")).toEqual([
      expect.objectContaining({ Sid: "LockDevState", Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["acme-state/dev/*"] } } }),
    ]);
  });

  it("adds no resource policy to the table without grants", () => {
    const text = Testing.synthScope((scope) => {
      new LockTable(scope, "lock", { tableName: "acme-lock", kmsKeyArn: "arn:k", bucketName: "acme-state" });
    });
    expect(text).not.toHaveResource(DynamodbResourcePolicy);
  });
});
