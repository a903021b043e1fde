import { type PolicyStatement } from "../iam/policy-document";
import { lockTableArn, type StateLocation } from "./state-statements";

/** What a read-only CI role (plan, drift) reads beyond configuration: its state, and the secrets its refresh reads. */
export interface ReadOnlyScope {
  /** The state objects the role reads (`arn:aws:s3:::<bucket>/dev/*`): the only S3 objects it may get. */
  readonly stateObjects: readonly string[];
  /** The state: its key is used through S3 and DynamoDB in its region, and its lock table holds the digests readers read. */
  readonly state: StateLocation;
  /**
   * ARNs (wildcards allowed) of the secrets whose value refreshing the role's stacks reads: a
   * secret version's read is GetSecretValue even when its value is write-only.
   * @default - none
   */
  readonly refreshedSecrets?: readonly string[];
  /**
   * Region of the refreshed secrets (their key is used through Secrets Manager there).
   * @default - none: no secret is refreshed
   */
  readonly secretsRegion?: string;
}

/**
 * Explicit denies of every read of a secret or data value that planning never needs, for CI's
 * plan and drift roles. `ReadOnlyAccess` (which those roles carry, so that refresh reads any
 * resource's configuration) reads values too: `s3:Get*` every object, `ssm:Get*` every parameter
 * (SecureStrings decrypted, under the account's default key, with no KMS permission of the
 * caller's), `dynamodb:Get*`/`Query`/`Scan` every item, `logs:Get*`/`FilterLogEvents`/`StartQuery`
 * every log line, `rds:Download*` the databases' logs, `sqs:Receive*` the queues' messages
 * (which also hides them from their consumer: Karpenter's interruption queue), and whatever any
 * future grant adds. A Deny wins over every Allow, present or future, so these hold whatever the
 * managed policy becomes. What Terraform's plans of this project read instead:
 * - their own state (`s3:GetObject` on their prefix, decrypted through S3) and, with the legacy
 *   lock table, their digest items (`dynamodb:GetItem` on it);
 * - the secrets of {@link ReadOnlyScope.refreshedSecrets}, decrypted through Secrets Manager
 *   (Grafana's admin secret: its value is also in the `monitoring` namespace, whose Secrets the
 *   plan role reads for Helm's release state anyway);
 * - no object, parameter, item, log event or message of any other resource: refresh reads
 *   resources' configuration (Describe*, Get*Policy, List*), and the launch templates' `resolve:ssm:`
 *   AMI parameters are resolved by EC2 at launch (AWS's public `/aws/service/` parameters, which
 *   hold no secret, stay readable).
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function secretReadDenies(scope: ReadOnlyScope): PolicyStatement[] {
  const secrets = scope.refreshedSecrets ?? [];
  const services = [`s3.${scope.state.region}.amazonaws.com`, `dynamodb.${scope.state.region}.amazonaws.com`, ...(secrets.length && scope.secretsRegion ? [`secretsmanager.${scope.secretsRegion}.amazonaws.com`] : [])];
  const except = (arns: readonly string[]) => (arns.length ? { NotResource: arns } : { Resource: "*" });
  return [
    { Sid: "DenySecretValuesButRefreshedOnes", Effect: "Deny", Action: "secretsmanager:GetSecretValue", ...except(secrets) },
    { Sid: "DenyObjectsButOwnState", Effect: "Deny", Action: ["s3:GetObject", "s3:GetObjectVersion"], NotResource: [...scope.stateObjects] },
    { Sid: "DenyParameterValuesButAwsPublicOnes", Effect: "Deny", Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"], NotResource: "arn:aws:ssm:*::parameter/aws/service/*" },
    {
      Sid: "DenyTableItemsButStateDigests",
      Effect: "Deny",
      Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PartiQLSelect", "dynamodb:GetRecords"],
      ...except(scope.state.lockTable ? [lockTableArn(scope.state)] : []),
    },
    {
      Sid: "DenyDataValuesPlansNeverRead",
      Effect: "Deny",
      Action: [
        "secretsmanager:BatchGetSecretValue",
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
        "logs:StartQuery",
        "logs:GetQueryResults",
        "logs:StartLiveTail",
        "logs:GetLogRecord",
        "rds:DownloadDBLogFilePortion",
        "rds:DownloadCompleteDBLogFile",
        "sqs:ReceiveMessage",
        "kinesis:GetRecords",
        "ec2:GetPasswordData",
        "s3-object-lambda:GetObject",
        "s3-object-lambda:GetObjectVersion",
      ],
      Resource: "*",
    },
    // Decrypting is how every encrypted value is read; a direct call carries no kms:ViaService, so it is denied too.
    { Sid: "DenyDecryptButStateAndRefreshedSecrets", Effect: "Deny", Action: "kms:Decrypt", Resource: "*", Condition: { StringNotEquals: { "kms:ViaService": services } } },
  ];
}
