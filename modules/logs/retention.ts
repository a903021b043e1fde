/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** A retention period CloudWatch accepts. */
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** Throws, naming the construct and the allowed periods, unless `days` is one CloudWatch accepts. */
export function assertLogRetention(where: string, days: number): void {
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new Error(`${where}: retention of ${days} days is not one CloudWatch Logs accepts; allowed: ${LOG_RETENTION_DAYS.join(", ")}`);
  }
}

/**
 * The key-policy statement that lets CloudWatch Logs use a key for one log group only (the
 * encryption context names the group), as a log group encrypted with a customer key needs.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logGroupKeyStatement(region: string, logGroupArn: string) {
  return {
    Sid: "AllowCloudWatchLogsForThisLogGroup",
    Effect: "Allow" as const,
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
  };
}
