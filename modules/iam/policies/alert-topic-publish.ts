import { type PolicyStatement } from "../policy-document";

/** Props of {@link alertTopicPublishStatements}. */
export interface AlertTopicPublishProps {
  /** The alert topic (`<env>-alerts`). */
  readonly topicArn: string;
  /** The customer-managed key that encrypts it. */
  readonly keyArn: string;
  /** The topic's region: the key is used only through SNS there. */
  readonly region: string;
}

/**
 * What a publisher of the encrypted alert topic needs (Alertmanager's SNS notifier), nothing
 * more: `sns:Publish` on the topic, and the key's `kms:GenerateDataKey` and `kms:Decrypt`, which
 * SNS calls as the publisher to encrypt the message (SNS developer guide, "Encryption at rest":
 * "Enable compatibility between event sources from AWS services and encrypted topics", and the
 * publisher's permissions in "Managing Amazon SNS encryption keys"), only through SNS.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 */
export function alertTopicPublishStatements(props: AlertTopicPublishProps): PolicyStatement[] {
  return [
    { Sid: "PublishToTheAlertTopic", Effect: "Allow", Action: ["sns:Publish"], Resource: props.topicArn },
    { Sid: "EncryptForTheAlertTopic", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: props.keyArn, Condition: { StringEquals: { "kms:ViaService": `sns.${props.region}.amazonaws.com` } } },
  ];
}
