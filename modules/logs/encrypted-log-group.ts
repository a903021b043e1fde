import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { type Construct } from "constructs";
import { EncryptionKey } from "../kms/encryption-key";
import { assertLogRetention, logGroupKeyStatement } from "./retention";

/** Props of {@link encryptedLogGroup}. */
export interface EncryptedLogGroupProps {
  /** The log group's name (`/aws/codebuild/<project>`, …). */
  readonly logGroupName: string;
  /** The key's alias (`alias/<name>`). */
  readonly aliasName: string;
  /** What the key encrypts, for its description. */
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /** Retention, one of CloudWatch's periods. */
  readonly retentionDays: number;
  /**
   * Ids of the key and the group in `scope`: part of their Terraform addresses.
   * @default { key: "key", group: "logs" }
   */
  readonly ids?: { readonly key: string; readonly group: string };
}

/**
 * A log group encrypted with a key of its own, which CloudWatch Logs may use for this group only,
 * made before whatever writes to it (so no service makes an unencrypted one, kept forever). Made
 * in `scope` itself, not in a construct of its own, so that the addresses stay those of its caller.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function encryptedLogGroup(scope: Construct, props: EncryptedLogGroupProps): { key: EncryptionKey; group: CloudwatchLogGroup; arn: string } {
  assertLogRetention(scope.node.path, props.retentionDays);
  const arn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${props.logGroupName}`;
  const key = new EncryptionKey(scope, props.ids?.key ?? "key", { description: props.description, aliasName: props.aliasName, accountId: props.accountId, statements: [logGroupKeyStatement(props.region, arn)] });
  const group = new CloudwatchLogGroup(scope, props.ids?.group ?? "logs", { name: props.logGroupName, retentionInDays: props.retentionDays, kmsKeyId: key.arn });
  return { key, group, arn };
}
