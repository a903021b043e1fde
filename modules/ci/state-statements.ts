import { type PolicyStatement } from "../iam/policy-document";

/** Where the Terraform state is, for CI's state statements. */
export interface StateLocation {
  readonly bucket: string;
  readonly region: string;
  readonly accountId: string;
  /**
   * The legacy DynamoDB lock table.
   * @default - none: S3-native locking only
   */
  readonly lockTable?: string;
}

/**
 * The state under one key prefix (`dev`, `state-backend`), for one of CI's roles:
 * - `read` (plan and drift roles): list and read it, and nothing else. Readers never lock: their
 *   runs plan with `-lock=false` (a plan that writes nothing needs no lock, and a plan made stale
 *   by a concurrent apply is caught when it is applied), so they can neither take a lock nor
 *   delete a writer's lock object or item, and a running apply's lock holds. With the legacy
 *   lock table they read their keys' digest items (`<bucket>/<key>-md5`), which the S3 backend
 *   compares with the state it reads, and write none.
 * - `write` (apply roles): read and write it, and take its lock.
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#s3-bucket-permissions
 */
export function stateStatements(prefix: string, state: StateLocation, access: "read" | "write"): PolicyStatement[] {
  const bucket = `arn:aws:s3:::${state.bucket}`;
  const write = access === "write";
  return [
    { Sid: "ListOwnState", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket, Condition: { StringLike: { "s3:prefix": [`${prefix}/*`] } } },
    { Sid: "ReadOwnState", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucket}/${prefix}/*` },
    ...(write ? [{ Sid: "WriteOwnState", Effect: "Allow" as const, Action: ["s3:PutObject", "s3:DeleteObject"], Resource: `${bucket}/${prefix}/*` }] : []),
    ...(state.lockTable
      ? [
          {
            Sid: write ? "LockTable" : "ReadStateDigests",
            Effect: "Allow" as const,
            Action: write ? ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"] : ["dynamodb:GetItem"],
            Resource: lockTableArn(state),
            Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${state.bucket}/${prefix}/*`] } },
          },
        ]
      : []),
    stateKeyStatement(state, write),
  ];
}

/**
 * One state key (`bootstrap/account-<id>.tfstate`), read only: what an account stack's plan role
 * needs, and no other key. Like every reader it never locks.
 */
export function stateKeyReadStatements(key: string, state: StateLocation): PolicyStatement[] {
  const bucket = `arn:aws:s3:::${state.bucket}`;
  return [
    { Sid: "ListOwnStateKey", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket, Condition: { StringEquals: { "s3:prefix": [key] } } },
    { Sid: "ReadOwnStateKey", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucket}/${key}` },
    ...(state.lockTable
      ? [{ Sid: "ReadStateDigest", Effect: "Allow" as const, Action: "dynamodb:GetItem", Resource: lockTableArn(state), Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`${state.bucket}/${key}-md5`] } } }]
      : []),
    stateKeyStatement(state, false),
  ];
}

/** ARN of the legacy lock table. */
export function lockTableArn(state: StateLocation): string {
  return `arn:aws:dynamodb:${state.region}:${state.accountId}:table/${state.lockTable}`;
}

/** The state's KMS key, only through S3 and DynamoDB: decrypt to read; encrypt too to write. */
function stateKeyStatement(state: StateLocation, write: boolean): PolicyStatement {
  return {
    Sid: "StateKeyThroughS3AndDynamoDB",
    Effect: "Allow",
    Action: write ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"] : ["kms:Decrypt", "kms:DescribeKey"],
    Resource: `arn:aws:kms:${state.region}:${state.accountId}:key/*`,
    Condition: { StringEquals: { "kms:ViaService": [`s3.${state.region}.amazonaws.com`, `dynamodb.${state.region}.amazonaws.com`] } },
  };
}

/**
 * Keys of another environment's state, read only: a tenant's stacks read its cluster host's
 * network, dns, eks and platform outputs (stacks/registry.ts, hostStateReads). Like every reader
 * it never locks; it reads each key's digest where the lock table keeps them.
 */
export function foreignStateReadStatements(keys: readonly string[], state: StateLocation): PolicyStatement[] {
  if (keys.length === 0) return [];
  const bucket = `arn:aws:s3:::${state.bucket}`;
  return [
    { Sid: "ListHostStateKeys", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket, Condition: { StringEquals: { "s3:prefix": [...keys] } } },
    { Sid: "ReadHostStateKeys", Effect: "Allow", Action: "s3:GetObject", Resource: keys.map((key) => `${bucket}/${key}`) },
    ...(state.lockTable
      ? [{ Sid: "ReadHostStateDigests", Effect: "Allow" as const, Action: "dynamodb:GetItem", Resource: lockTableArn(state), Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": keys.map((key) => `${state.bucket}/${key}-md5`) } } }]
      : []),
  ];
}
