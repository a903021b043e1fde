import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { PolicyDocument } from "../iam/policy-document";
import { EncryptionKey } from "../kms/encryption-key";

/** Props of {@link StateAccessTrail}. */
export interface StateAccessTrailProps {
  /** The state bucket whose object reads and writes are recorded. */
  readonly stateBucketName: string;
  /** The account and region of the state. */
  readonly accountId: string;
  readonly region: string;
  /**
   * Days the records are kept.
   * @default 365
   */
  readonly retentionDays?: number;
}

/** The S3 limit on bucket names. */
const MAX_BUCKET_NAME = 63;

/** Name of the trail: CI's state roles are scoped to it. */
export const STATE_ACCESS_TRAIL_NAME = "terraform-state-access";

/** Alias of the records' KMS key. */
export const STATE_ACCESS_LOG_KEY_ALIAS = "alias/tfstate-access-log";

/** Name of the bucket the records land in, beside the state bucket. */
export function accessLogBucketName(stateBucketName: string): string {
  return `${stateBucketName}-access-log`;
}

/**
 * Who read or wrote which state object, and when: a CloudTrail trail of the state bucket's S3
 * data events (every GetObject, PutObject, DeleteObject of state and lock files, with the caller's
 * identity), delivered to a bucket of its own with log file validation.
 *
 * Why a trail, not S3 server access logs: access logs cannot be delivered to a bucket with S3
 * Object Lock or SSE-KMS default encryption (S3 User Guide, "Enabling Amazon S3 server access
 * logging"), so their records could not be made tamper-evident or encrypted with a key of ours;
 * they are also best-effort. A trail writes to a KMS-encrypted bucket, names the IAM identity of
 * each call, and signs an hourly digest of its files (`enable_log_file_validation`), so a record
 * altered or removed is detected by `aws cloudtrail validate-logs`. Its cost is per event: state
 * is read and written a few times per plan and apply.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 */
export class StateAccessTrail extends Construct {
  /** The trail. */
  readonly trail: Cloudtrail;
  /** The bucket the records land in. */
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateAccessTrailProps) {
    super(scope, id);
    const bucketName = accessLogBucketName(props.stateBucketName);
    if (bucketName.length > MAX_BUCKET_NAME) {
      throw new Error(`${this.node.path}: the access-log bucket's name "${bucketName}" has ${bucketName.length} characters, over S3's ${MAX_BUCKET_NAME}; shorten the state bucket's name in backend.config to ${MAX_BUCKET_NAME - "-access-log".length} or fewer`);
    }
    const trailName = STATE_ACCESS_TRAIL_NAME;
    const trailArn = `arn:aws:cloudtrail:${props.region}:${props.accountId}:trail/${trailName}`;
    const key = new EncryptionKey(this, "key", {
      description: `Encrypts the records of who read or wrote Terraform state (${bucketName})`,
      aliasName: STATE_ACCESS_LOG_KEY_ALIAS,
      accountId: props.accountId,
      preventDestroy: true,
      statements: [
        {
          Sid: "CloudTrailEncryptsThisTrailsFiles",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceArn": trailArn }, StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailArn } },
        },
        { Sid: "CloudTrailDescribesTheKey", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*", Condition: { StringEquals: { "aws:SourceArn": trailArn } } },
      ],
    });
    this.bucket = new S3Bucket(this, "bucket", { bucket: bucketName, lifecycle: { preventDestroy: true } });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, "public-access-block", { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    const retention = props.retentionDays ?? 365;
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        { id: "expire-records", status: "Enabled", filter: [{}], expiration: [{ days: retention }], noncurrentVersionExpiration: [{ noncurrentDays: 30 }] },
        { id: "abort-incomplete-uploads", status: "Enabled", filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
      ],
    });
    const document = new PolicyDocument(this, "policy-document", {
      statements: [
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [this.bucket.arn, `${this.bucket.arn}/*`], Condition: { Bool: { "aws:SecureTransport": false } } },
        // Records leave only by the lifecycle rule (which a bucket policy does not govern).
        { Sid: "DenyDeletingRecords", Effect: "Deny", Principal: "*", Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"], Resource: `${this.bucket.arn}/*` },
        { Sid: "CloudTrailChecksTheBucket", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: this.bucket.arn, Condition: { StringEquals: { "aws:SourceArn": trailArn } } },
        {
          Sid: "CloudTrailWritesThisTrailsFiles",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${this.bucket.arn}/AWSLogs/${props.accountId}/*`,
          Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
      ],
    });
    const policy = new S3BucketPolicy(this, "policy", { bucket, policy: document.json });
    this.trail = new Cloudtrail(this, "Default", {
      name: trailName,
      s3BucketName: bucket,
      kmsKeyId: key.arn,
      enableLogFileValidation: true,
      // The state bucket's region only, and no management events: this trail records state access.
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: false,
      advancedEventSelector: [
        {
          name: "Reads and writes of Terraform state",
          fieldSelector: [
            { field: "eventCategory", equalTo: ["Data"] },
            { field: "resources.type", equalTo: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWith: [`arn:aws:s3:::${props.stateBucketName}/`] },
          ],
        },
      ],
      dependsOn: [policy],
    });
  }
}
