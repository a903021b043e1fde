import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { PolicyDocument } from "../iam/policy-document";

/** The events Karpenter acts on: the rules of its v1.14.1 CloudFormation template (a test compares them). */
export const INTERRUPTION_EVENTS: Readonly<Record<string, { source: string[]; "detail-type": string[] }>> = {
  health: { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  "spot-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  "state-change": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
  "capacity-reservation-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] },
};

/** Props of {@link InterruptionQueue}. */
export interface InterruptionQueueProps {
  /** The cluster's name; the queue is named after it. */
  readonly clusterName: string;
}

/**
 * Karpenter's interruption queue: an SQS queue with server-side encryption that receives Spot
 * interruption warnings, rebalance recommendations, instance state changes, capacity-reservation
 * interruption warnings and AWS Health events
 * from EventBridge, so Karpenter drains a node before AWS takes it away.
 * @see https://karpenter.sh/docs/concepts/disruption/#interruption
 */
export class InterruptionQueue extends Construct {
  /** The queue. */
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: InterruptionQueueProps) {
    super(scope, id);
    this.queue = new SqsQueue(this, "Default", { name: props.clusterName, messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
    const policy = new PolicyDocument(this, "policy-document", {
      statements: [
        { Sid: "EventBridgeAndSqsSend", Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: this.queue.arn },
        { Sid: "DenyHttp", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: this.queue.arn, Condition: { Bool: { "aws:SecureTransport": false } } },
      ],
    });
    new SqsQueuePolicy(this, "policy", { queueUrl: this.queue.url, policy: policy.json });
    for (const [name, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
      const rule = new CloudwatchEventRule(this, name, { name: `${props.clusterName}-${name}`, description: `Karpenter interruption handling: ${pattern["detail-type"][0]}`, eventPattern: JSON.stringify(pattern) });
      new CloudwatchEventTarget(rule, "to-queue", { rule: rule.name, targetId: "karpenter-interruption-queue", arn: this.queue.arn });
    }
  }
}
