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
import { serviceTrust } from "../../modules/iam/policy-document";
import { Role } from "../../modules/iam/role";
import { policyStatements, synthScope } from "../helpers";

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
    const text = synth();
    const key = Object.values(JSON.parse(text).resource.aws_kms_key)[0] as { policy: string };
    expect(policyStatements(text, key.policy)).toEqual([
      expect.objectContaining({ Sid: "EnableIamPoliciesOfTheAccount", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::123456789012:root"] }, Action: ["kms:*"], Resource: ["*"] }),
      expect.objectContaining({ Sid: "Service", Effect: "Allow", Principal: { Service: ["logs.amazonaws.com"] }, Action: ["kms:Decrypt*"], Resource: ["*"] }),
    ]);
  });

  it("carries prevent_destroy unless told otherwise", () => {
    expect(synth()).toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: true } });
    expect(synth(true)).toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: true } });
    expect(synth(false)).not.toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: true } });
  });

  it.each([6, 31, 7.5])("refuses a deletion window of %p days, showing the value and the range", (days) => {
    expect(() => Testing.synthScope((scope) => new EncryptionKey(scope, "key", { description: "d", aliasName: "alias/x", accountId: "123456789012", deletionWindowInDays: days }))).toThrow(
      `key: deletionWindowInDays must be a whole number of days from 7 to 30 (got ${days})`,
    );
  });

  it("refuses an alias without the alias/ prefix, or in AWS's reserved alias/aws/ space", () => {
    for (const aliasName of ["test", "alias/aws/s3"]) {
      expect(() => Testing.synthScope((scope) => new EncryptionKey(scope, "key", { description: "d", aliasName, accountId: "123456789012" }))).toThrow(
        `key: aliasName must start with "alias/" and not "alias/aws/", which AWS reserves (got "${aliasName}")`,
      );
    }
  });

  it("grants exactly decrypt, or encrypt and decrypt, on itself to a role's own policy", () => {
    const text = Testing.synthScope((scope) => {
      const key = new EncryptionKey(scope, "key", { description: "d", aliasName: "alias/x", accountId: "123456789012" });
      const reader = new Role(scope, "reader", { name: "reader", description: "d", permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/b", trust: [serviceTrust("ec2.amazonaws.com", "123456789012")] });
      const writer = new Role(scope, "writer", { name: "writer", description: "d", permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/b", trust: [serviceTrust("ec2.amazonaws.com", "123456789012")] });
      key.grantDecrypt(reader);
      key.grantEncryptDecrypt(writer);
    });
    const policies = Object.values(JSON.parse(text).resource.aws_iam_role_policy as Record<string, { name: string; policy: string }>);
    const byRole = Object.fromEntries(policies.map((p) => [p.name, policyStatements(text, p.policy)]));
    const keyArn = "${aws_kms_key.key.arn}";
    expect(byRole.reader).toEqual([{ Sid: "DecryptWithKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: [keyArn] }]);
    expect(byRole.writer).toEqual([
      { Sid: "EncryptDecryptWithKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], Resource: [keyArn] },
    ]);
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
    expect(policyStatements(out, policy.policy)).toEqual([
      expect.objectContaining({ Effect: "Deny", Principal: "*", Action: ["s3:*"], Condition: { Bool: { "aws:SecureTransport": ["false"] } } }),
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
  const plan = "arn:aws:iam::111111111111:role/plan";
  const apply = "arn:aws:iam::111111111111:role/apply";
  const grants = [{ prefix: "dev/", readers: [plan], writers: [apply] }];
  const policyOf = (text: string, type: string) => policyStatements(text, (Object.values(JSON.parse(text).resource[type])[0] as { policy: string }).policy);

  it("lets each environment's roles list and read only their own prefix; only writers write, the state and its locks", () => {
    const text = Testing.synthScope((scope) => {
      new StateBucket(scope, "state", { bucketName: "acme-state", kmsKeyArn: "arn:k", grants });
    });
    const statements = policyOf(text, "aws_s3_bucket_policy");
    expect(statements.slice(1)).toEqual([
      expect.objectContaining({ Sid: "ListDevState", Action: ["s3:ListBucket"], Principal: { AWS: [plan, apply] }, Condition: { StringLike: { "s3:prefix": ["dev/*"] } } }),
      expect.objectContaining({ Sid: "ReadDevState", Action: ["s3:GetObject"], Principal: { AWS: [plan, apply] }, Resource: [expect.stringMatching(/\.arn\}\/dev\/\*$/)] }),
      expect.objectContaining({ Sid: "WriteDevState", Action: ["s3:PutObject", "s3:DeleteObject"], Principal: { AWS: [apply] }, Resource: [expect.stringMatching(/\.arn\}\/dev\/\*$/)] }),
    ]);
  });

  it("never lets a plan (reader) role write anything, not even a lock object (readers plan with -lock=false)", () => {
    const text = Testing.synthScope((scope) => {
      new StateBucket(scope, "state", { bucketName: "acme-state", kmsKeyArn: "arn:k", grants: [{ prefix: "dev/", readers: [plan] }] });
    });
    const statements = policyOf(text, "aws_s3_bucket_policy");
    expect(statements.filter((s) => (s.Action as string[]).some((a) => /Put|Delete/.test(a)))).toEqual([]);
    expect(statements.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "ListDevState", "ReadDevState"]);
  });

  it("lets writers take locks only on their own keys, and readers only read their keys' digests", () => {
    const text = Testing.synthScope((scope) => {
      new LockTable(scope, "lock", { tableName: "acme-lock", kmsKeyArn: "arn:k", bucketName: "acme-state", grants });
    });
    expect(text).toHaveResource(DynamodbResourcePolicy);
    const keys = { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["acme-state/dev/*"] } };
    expect(policyOf(text, "aws_dynamodb_resource_policy")).toEqual([
      expect.objectContaining({ Sid: "LockDevState", Principal: { AWS: [apply] }, Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], Condition: keys }),
      expect.objectContaining({ Sid: "ReadDevStateDigests", Principal: { AWS: [plan] }, Action: ["dynamodb:GetItem"], Condition: keys }),
    ]);
  });

  it("lets an account stack's plan role list and read its one key, and write nothing", () => {
    const key = "bootstrap/account-1.tfstate";
    const operator = "arn:aws:iam::111111111111:role/operator";
    const text = Testing.synthScope((scope) => {
      new StateBucket(scope, "state", { bucketName: "acme-state", kmsKeyArn: "arn:k", keyGrants: [{ key, writers: [operator], readers: [plan] }] });
      new LockTable(scope, "lock", { tableName: "acme-lock", kmsKeyArn: "arn:k", bucketName: "acme-state", keyGrants: [{ key, writers: [], readers: [plan] }] });
    });
    const ofPlan = (type: string) => policyOf(text, type).filter((s) => JSON.stringify(s.Principal).includes(plan));
    expect(ofPlan("aws_s3_bucket_policy")).toEqual([
      expect.objectContaining({ Sid: "ListBootstrapAccount1State", Principal: { AWS: [operator, plan] }, Condition: { StringEquals: { "s3:prefix": [key] } } }),
      expect.objectContaining({ Sid: "ReadBootstrapAccount1State", Action: ["s3:GetObject"], Principal: { AWS: [plan] }, Resource: [expect.stringMatching(/\/bootstrap\/account-1\.tfstate$/)] }),
    ]);
    expect(ofPlan("aws_dynamodb_resource_policy")).toEqual([
      expect.objectContaining({ Sid: "ReadBootstrapAccount1StateDigest", Action: ["dynamodb:GetItem"], Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`acme-state/${key}-md5`] } } }),
    ]);
  });

  it("adds no resource policy to the table without grants", () => {
    const text = Testing.synthScope((scope) => {
      new LockTable(scope, "lock", { tableName: "acme-lock", kmsKeyArn: "arn:k", bucketName: "acme-state" });
    });
    expect(text).not.toHaveResource(DynamodbResourcePolicy);
  });
});

it("EncryptionKey, StateBucket and LockTable match their snapshots", () => {
  const grants = [{ prefix: "dev/", readers: ["arn:aws:iam::111111111111:role/plan"], writers: ["arn:aws:iam::111111111111:role/apply"] }];
  const text = synthScope((scope) => {
    const key = new EncryptionKey(scope, "key", { description: "State", aliasName: "alias/state", accountId: "123456789012" });
    new StateBucket(scope, "bucket", { bucketName: "acme-state", kmsKeyArn: key.arn, grants });
    new LockTable(scope, "lock-table", { tableName: "acme-lock", kmsKeyArn: key.arn, bucketName: "acme-state", grants });
  });
  expect(JSON.parse(text)).toMatchSnapshot();
});
