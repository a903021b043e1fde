import { type Rule } from "../types";
import { block, blocks, isTrue, statements, strings } from "./helpers";

/** S3 and DynamoDB. */
export const storageRules: Rule[] = [
  {
    id: "PI-S3-001",
    severity: "error",
    title: "S3 buckets are versioned",
    rationale: "Versioning lets you recover objects that were overwritten or deleted, including Terraform state.",
    fix: "Add an aws_s3_bucket_versioning for the bucket with status Enabled.",
    checkov: "CKV_AWS_21",
    types: ["aws_s3_bucket"],
    check: (r, stack) =>
      stack.linkedTo(r, "aws_s3_bucket_versioning").some((v) => block(v.attrs, "versioning_configuration")?.status === "Enabled")
        ? undefined
        : "no aws_s3_bucket_versioning with status Enabled",
  },
  {
    id: "PI-S3-002",
    severity: "error",
    title: "S3 buckets encrypt with a KMS key by default",
    rationale: "SSE-KMS puts reads of the data under a key policy and in CloudTrail; SSE-S3 does neither.",
    fix: "Add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms and a kms_master_key_id.",
    checkov: "CKV_AWS_145",
    types: ["aws_s3_bucket"],
    check: (r, stack) => {
      const rules = stack.linkedTo(r, "aws_s3_bucket_server_side_encryption_configuration").flatMap((c) => blocks(c.attrs.rule));
      const kms = rules.some((rule) => {
        const def = block(rule, "apply_server_side_encryption_by_default");
        return String(def?.sse_algorithm).startsWith("aws:kms") && Boolean(def?.kms_master_key_id);
      });
      return kms ? undefined : "no default encryption with aws:kms and a customer-managed key";
    },
  },
  {
    id: "PI-S3-003",
    severity: "error",
    title: "S3 buckets block all four kinds of public access",
    rationale: "One missing flag is enough for a policy or ACL to make the bucket public.",
    fix: "Add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true.",
    checkov: "CKV2_AWS_6",
    types: ["aws_s3_bucket"],
    check: (r, stack) => {
      const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
      const pab = stack.linkedTo(r, "aws_s3_bucket_public_access_block")[0];
      if (!pab) return "no aws_s3_bucket_public_access_block";
      const off = flags.filter((f) => !isTrue(pab.attrs[f]));
      return off.length ? `${off.join(", ")} not true` : undefined;
    },
  },
  {
    id: "PI-S3-004",
    severity: "error",
    title: "S3 buckets deny requests not made over TLS",
    rationale: "Without a SecureTransport deny, clients can read and write the bucket over plain HTTP.",
    fix: 'Add a bucket policy statement: Effect Deny, Principal "*", Action s3:*, Condition Bool aws:SecureTransport false.',
    types: ["aws_s3_bucket"],
    check: (r, stack) => {
      const denies = stack
        .linkedTo(r, "aws_s3_bucket_policy")
        .flatMap((p) => statements(p.attrs.policy, stack))
        .some((s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false");
      return denies ? undefined : "no bucket policy statement denies aws:SecureTransport false";
    },
  },
  {
    id: "PI-S3-005",
    severity: "error",
    title: "S3 buckets disable ACLs (BucketOwnerEnforced)",
    rationale: "With ACLs disabled, only policies grant access and the bucket owner owns every object.",
    fix: "Add an aws_s3_bucket_ownership_controls with object_ownership BucketOwnerEnforced.",
    checkov: "CKV2_AWS_65",
    types: ["aws_s3_bucket"],
    check: (r, stack) =>
      stack.linkedTo(r, "aws_s3_bucket_ownership_controls").some((o) => block(o.attrs, "rule")?.object_ownership === "BucketOwnerEnforced")
        ? undefined
        : "object ownership is not BucketOwnerEnforced",
  },
  {
    id: "PI-S3-006",
    severity: "warning",
    title: "S3 buckets have lifecycle rules for old versions and incomplete uploads",
    rationale: "Versioned buckets grow without bound, and abandoned multipart uploads are billed invisibly.",
    fix: "Add an aws_s3_bucket_lifecycle_configuration with noncurrent_version_expiration and abort_incomplete_multipart_upload rules.",
    checkov: "CKV2_AWS_61",
    types: ["aws_s3_bucket"],
    check: (r, stack) => {
      const rules = stack.linkedTo(r, "aws_s3_bucket_lifecycle_configuration").flatMap((l) => blocks(l.attrs.rule)).filter((x) => x.status === "Enabled");
      const missing = [
        rules.some((x) => blocks(x.noncurrent_version_expiration).length) ? "" : "noncurrent_version_expiration",
        rules.some((x) => blocks(x.abort_incomplete_multipart_upload).length) ? "" : "abort_incomplete_multipart_upload",
      ].filter(Boolean);
      return missing.length ? `no enabled lifecycle rule with ${missing.join(" or ")}` : undefined;
    },
  },
  {
    id: "PI-DDB-001",
    severity: "error",
    title: "DynamoDB tables have point-in-time recovery",
    rationale: "PITR restores a table to any second of the last 35 days after a bad write or delete.",
    fix: "Set point_in_time_recovery { enabled = true }.",
    checkov: "CKV_AWS_28",
    types: ["aws_dynamodb_table"],
    check: (r) => (isTrue(block(r.attrs, "point_in_time_recovery")?.enabled) ? undefined : "point_in_time_recovery is not enabled"),
  },
  {
    id: "PI-DDB-002",
    severity: "error",
    title: "DynamoDB tables encrypt with a customer-managed KMS key",
    rationale: "The AWS-owned default key cannot be audited or restricted by key policy.",
    fix: "Set server_side_encryption { enabled = true, kms_key_arn = <key> }.",
    checkov: "CKV_AWS_119",
    types: ["aws_dynamodb_table"],
    check: (r) => {
      const sse = block(r.attrs, "server_side_encryption");
      return isTrue(sse?.enabled) && strings(sse?.kms_key_arn).length ? undefined : "server_side_encryption with a kms_key_arn is not set";
    },
  },
];
