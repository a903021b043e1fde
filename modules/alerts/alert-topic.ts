import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/encryption-key";
import { PolicyDocument, type PolicyStatement } from "../iam/policy-document";

/** Props of {@link AlertTopic}. */
export interface AlertTopicProps {
  /** The topic's name (`<env>-alerts`); its ARN is computed from it elsewhere, so it never changes. */
  readonly name: string;
  /** The account of the topic and of the alarms that may publish to it. */
  readonly accountId: string;
  /** The region of the topic and the alarms. */
  readonly region: string;
  /**
   * Email addresses subscribed to the topic. SNS mails each a confirmation link: until it is
   * followed the subscription stays "pending confirmation" and receives nothing.
   * @default - none
   */
  readonly emailAddresses?: readonly string[];
}

/**
 * An environment's alert topic: what its CloudWatch alarms notify (on ALARM and on OK), with the
 * email receivers subscribed to it and the alarm forwarder (Slack, PagerDuty, webhooks).
 *
 * - Encrypted with a customer-managed key of its own. CloudWatch publishes as a service
 *   principal, which IAM policies cannot grant to: the key policy lets `cloudwatch.amazonaws.com`
 *   use the key only for alarms of this account (the statement AWS documents for alarms that
 *   notify an encrypted topic, with the confused-deputy conditions).
 * - The topic policy admits `cloudwatch.amazonaws.com` to `sns:Publish` only from alarms of this
 *   account and region, and refuses any request not over TLS. Principals of the account (the
 *   forwarder's SNS subscription needs none; Alertmanager's role does) publish through IAM.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 */
export class AlertTopic extends Construct {
  /** The topic. */
  readonly topic: SnsTopic;
  /** The topic's key: whoever publishes besides CloudWatch needs kms:GenerateDataKey* and kms:Decrypt on it. */
  readonly key: EncryptionKey;
  /** The topic's ARN. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const { accountId, region } = props;
    const alarms = `arn:aws:cloudwatch:${region}:${accountId}:alarm:*`;
    const fromAlarmsOfThisAccount = { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": alarms } };
    const cloudwatchUsesTheKey: PolicyStatement = {
      Sid: "CloudWatchAlarmsOfThisAccount",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: fromAlarmsOfThisAccount,
    };
    this.key = new EncryptionKey(this, "key", { description: `Encrypts the alert topic ${props.name}`, aliasName: `alias/${props.name}`, accountId, statements: [cloudwatchUsesTheKey] });
    this.topic = new SnsTopic(this, "Default", { name: props.name, displayName: props.name, kmsMasterKeyId: this.key.arn });
    this.arn = this.topic.arn;

    const policy = new PolicyDocument(this, "policy", {
      statements: [
        { Sid: "CloudWatchAlarmsOfThisAccount", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: this.topic.arn, Condition: fromAlarmsOfThisAccount },
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sns:*", Resource: this.topic.arn, Condition: { Bool: { "aws:SecureTransport": false } } },
      ],
    });
    new SnsTopicPolicy(this, "topic-policy", { arn: this.topic.arn, policy: policy.json });

    // Keyed by address, never by position: adding one never replaces another's subscription.
    const emails = new Construct(this, "email");
    for (const address of [...new Set(props.emailAddresses ?? [])].sort()) {
      new SnsTopicSubscription(emails, address, { topicArn: this.topic.arn, protocol: "email", endpoint: address });
    }
  }
}
