import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { PolicyDocument, type PolicyStatement } from "../iam/policy-document";
import { grantPrincipals, grantSid, keyGrantPrincipals, keyGrantSid, type StateAccessGrant, type StateKeyGrant } from "./state-access";

/** Props of {@link StateBucket}. */
export interface StateBucketProps {
  /** Bucket name (globally unique). */
  readonly bucketName: string;
  /** ARN of the KMS key that encrypts every object. */
  readonly kmsKeyArn: string;
  /**
   * Days a superseded state version is kept, for recovering from a bad apply.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Days before an unfinished multipart upload is aborted (and stops costing money).
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;
  /**
   * Roles that may list and read their own key prefix (readers), or also write its state and
   * locks (writers).
   * @default - none: only IAM principals of the bucket's account, through their own policies
   */
  readonly grants?: readonly StateAccessGrant[];
  /**
   * Roles that may read and write one state key and its lock (the account stacks' operators,
   * whose state is in the bucket from the second apply on), or only read it (the account stacks'
   * plan roles); nothing else.
   * @default - none
   */
  readonly keyGrants?: readonly StateKeyGrant[];
}

/**
 * The S3 bucket that holds Terraform state: versioned, SSE-KMS with a bucket key, never public,
 * owner-enforced (no ACLs), TLS-only, with lifecycle rules, and protected from `destroy`.
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export class StateBucket extends Construct {
  /** The bucket. */
  readonly bucket: S3Bucket;
  /** Bucket ARN. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "Default", { bucket: props.bucketName, lifecycle: { preventDestroy: true } });
    this.arn = this.bucket.arn;
    const bucket = this.bucket.id;

    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      // The bucket key cuts KMS requests (and cost) by deriving per-object keys in S3.
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    // The state roles are principals of other accounts (CI's, operators'), which IAM policies of
    // this account cannot grant to; so, unlike the project's grant methods, they are props here.
    const document = new PolicyDocument(this, "policy-document", {
      statements: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": false } },
        },
        ...(props.grants ?? []).flatMap((grant) => grantStatements(this.bucket.arn, grant)),
        ...(props.keyGrants ?? []).flatMap((grant) => keyGrantStatements(this.bucket.arn, grant)),
      ],
    });
    new S3BucketPolicy(this, "policy", { bucket, policy: document.json });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
        },
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadDays ?? 7 }],
        },
      ],
    });
  }
}

/**
 * Listing of, and object access to, one prefix only: everyone reads; only writers write, the
 * state and its lock objects (`*.tflock`, S3-native locking). Readers write nothing, not even a
 * lock: they plan with `-lock=false`, so none can delete a running apply's lock object.
 */
function grantStatements(bucketArn: string, grant: StateAccessGrant): PolicyStatement[] {
  const sid = grantSid(grant);
  const all = grantPrincipals(grant);
  const statements: PolicyStatement[] = [
    { Sid: `List${sid}State`, Effect: "Allow", Principal: { AWS: all }, Action: "s3:ListBucket", Resource: bucketArn, Condition: { StringLike: { "s3:prefix": [`${grant.prefix}*`] } } },
    { Sid: `Read${sid}State`, Effect: "Allow", Principal: { AWS: all }, Action: "s3:GetObject", Resource: `${bucketArn}/${grant.prefix}*` },
  ];
  if (grant.writers?.length) {
    statements.push({ Sid: `Write${sid}State`, Effect: "Allow", Principal: { AWS: [...grant.writers] }, Action: ["s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/${grant.prefix}*` });
  }
  return statements.filter((s) => (s.Principal as { AWS: readonly string[] }).AWS.length > 0);
}

/**
 * One state key, as the S3 backend's documentation lists what it needs without workspaces:
 * listing that key only and reading it (writers and readers); writing it (never deleting it:
 * Terraform does not), and reading, writing and deleting its lock file (writers only).
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#s3-bucket-permissions
 */
function keyGrantStatements(bucketArn: string, grant: StateKeyGrant): PolicyStatement[] {
  const sid = keyGrantSid(grant);
  const all = keyGrantPrincipals(grant);
  if (all.length === 0) return [];
  const writers = { AWS: [...grant.writers] };
  return [
    { Sid: `List${sid}State`, Effect: "Allow", Principal: { AWS: all }, Action: "s3:ListBucket", Resource: bucketArn, Condition: { StringEquals: { "s3:prefix": [grant.key] } } },
    ...(grant.readers?.length ? [{ Sid: `Read${sid}State`, Effect: "Allow" as const, Principal: { AWS: [...grant.readers] }, Action: "s3:GetObject", Resource: `${bucketArn}/${grant.key}` }] : []),
    ...(grant.writers.length
      ? [
          { Sid: `ReadWrite${sid}State`, Effect: "Allow" as const, Principal: writers, Action: ["s3:GetObject", "s3:PutObject"], Resource: `${bucketArn}/${grant.key}` },
          { Sid: `Lock${sid}State`, Effect: "Allow" as const, Principal: writers, Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/${grant.key}.tflock` },
        ]
      : []),
  ];
}
