import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { CONFIG_VARIABLE, type ForwarderConfig, type PagerDutySeverity, type ReceiverEntry, SEVERITIES, type Severity } from "../../functions/alarm-forwarder/config";
import { notifyingAlarm } from "../alarms/alarm";
import { serviceTrust } from "../iam/policy-document";
import { Role } from "../iam/role";
import { LAMBDA_NODE_RUNTIME, alarmForwarderBundle } from "../lambda/function-bundle";
import { encryptedLogGroup } from "../logs/encrypted-log-group";

/** A receiver of config, as the forwarder needs it (no credential: where its secret is). */
export interface AlarmForwarderReceiver {
  readonly type: "slack" | "pagerduty" | "webhook" | "email";
  /** Slack's channel. */
  readonly channel?: string;
  /** PagerDuty's event severity. @default - the alarm's */
  readonly severity?: PagerDutySeverity;
  /** Its credential's secret (none for email): name, ARN and the JSON key holding the credential. */
  readonly secret?: { readonly name: string; readonly arn: string; readonly key: string };
}

/** Props of {@link AlarmForwarder}. */
export interface AlarmForwarderProps {
  /** The function's name (`<env>-alarm-forwarder`): also its role's, log group's and key's. */
  readonly name: string;
  /** The environment's name, in every message. */
  readonly environment: string;
  /** The alert topic (`<env>-alerts`) it subscribes to, and its own Errors alarm notifies. */
  readonly topicArn: string;
  /** Config's receivers, by name. */
  readonly receivers: Readonly<Record<string, AlarmForwarderReceiver>>;
  /** Config's routes: receiver names by severity. */
  readonly routes: Readonly<Record<Severity, readonly string[]>>;
  /** The key that encrypts the receivers' secrets (`<env>-iam`'s application secrets key). */
  readonly secretsKeyArn: string;
  readonly vpcId: string;
  /** The private subnets: their NAT gateways reach Slack, PagerDuty and the webhooks. */
  readonly subnetIds: readonly string[];
  readonly accountId: string;
  readonly region: string;
  readonly permissionsBoundaryArn: string;
  /** Base URL of docs/runbooks/ (ends with `/`), for its Errors alarm. */
  readonly runbookBaseUrl: string;
  /**
   * Retention of the function's logs, days.
   * @default 90
   */
  readonly logRetentionDays?: number;
}

/** The routed receivers the forwarder posts to (Slack, PagerDuty, webhooks), by name: none means no forwarder. */
export function forwardedReceivers(receivers: AlarmForwarderProps["receivers"], routes: AlarmForwarderProps["routes"]): string[] {
  const routed = new Set(SEVERITIES.flatMap((s) => routes[s]));
  return Object.keys(receivers).filter((name) => routed.has(name) && receivers[name]?.type !== "email").sort();
}

/**
 * The CloudWatch alarms' way to the chat and paging receivers: a function (functions/alarm-forwarder)
 * subscribed to the alert topic that routes each alarm by the severity of its description, as
 * Alertmanager routes alerts, and posts to Slack, PagerDuty and webhooks; email receivers are
 * the topic's own subscriptions.
 *
 * - It reads exactly the routed receivers' secrets, and decrypts them only through Secrets
 *   Manager and only for those secrets (the encryption context names the secret's ARN).
 * - It runs in the private subnets, its security group allowing HTTPS out and nothing else.
 * - The subscription's filter policy on the message body admits only alarm state changes to
 *   ALARM or OK: Alertmanager's email receivers publish their text to the same topic.
 * - A failed run is retried twice by Lambda, then kept for 14 days in its dead-letter queue;
 *   its Errors alarm notifies the same topic, which mails the email receivers directly, and the
 *   function delivers its own alarms best-effort so that they cannot loop (README.md).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html (dead-letter queues)
 */
export class AlarmForwarder extends Construct {
  readonly function: LambdaFunction;
  readonly deadLetterQueue: SqsQueue;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: AlarmForwarderProps) {
    super(scope, id);
    const { name, accountId, region } = props;
    const forwarded = forwardedReceivers(props.receivers, props.routes);
    if (forwarded.length === 0) throw new Error(`${this.node.path}: no routed slack, pagerduty or webhook receiver: an environment without one needs no forwarder`);
    const secrets = forwarded.map((r) => {
      const secret = props.receivers[r]?.secret;
      if (!secret) throw new Error(`${this.node.path}: receiver ${r} (${props.receivers[r]?.type}) has no secret`);
      return secret;
    });
    const errorsAlarmName = `${name}-errors`;

    // No inline egress beside the standalone rule (`egress = []` would revoke it on every apply).
    this.securityGroup = new SecurityGroup(this, "security-group", { name, description: `${name}: HTTPS out only (Slack, PagerDuty, webhooks, the Secrets Manager endpoint)`, vpcId: props.vpcId });
    new VpcSecurityGroupEgressRule(this, "https-out", { securityGroupId: this.securityGroup.id, description: "HTTPS to the receivers and the Secrets Manager endpoint", cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 });

    const logRetentionDays = props.logRetentionDays ?? 90;
    // One key for its logs, its settings and its dead letters.
    const { key, group: logGroup, arn: logGroupArn } = encryptedLogGroup(this, { logGroupName: `/aws/lambda/${name}`, aliasName: `alias/${name}`, description: `Encrypts the logs, settings and dead letters of ${name}`, accountId, region, retentionDays: logRetentionDays });
    this.deadLetterQueue = new SqsQueue(this, "dead-letters", { name: `${name}-dead-letters`, kmsMasterKeyId: key.arn, messageRetentionSeconds: 14 * 24 * 3600 });

    const secretArns = secrets.map((s) => s.arn);
    const role = new Role(this, "role", {
      name,
      description: `${name}: reads the alert receivers' secrets to forward CloudWatch alarms`,
      trust: [serviceTrust("lambda.amazonaws.com", accountId, `arn:aws:lambda:${region}:${accountId}:function:${name}`)],
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      statements: [
        { Sid: "ReadTheReceiverSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns },
        // Secrets Manager decrypts with the secret's ARN as encryption context.
        // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context
        {
          Sid: "DecryptThemThroughSecretsManager",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: props.secretsKeyArn,
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secretArns } },
        },
        { Sid: "ItsOwnSettings", Effect: "Allow", Action: "kms:Decrypt", Resource: key.arn, Condition: { StringEquals: { "kms:ViaService": `lambda.${region}.amazonaws.com` } } },
        { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
        // Lambda sends a failed event to the queue as the function's role; the queue is encrypted.
        { Sid: "SendItsDeadLetters", Effect: "Allow", Action: "sqs:SendMessage", Resource: this.deadLetterQueue.arn },
        { Sid: "EncryptItsDeadLetters", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key.arn, Condition: { StringEquals: { "kms:ViaService": `sqs.${region}.amazonaws.com` } } },
        // What Lambda needs for the function's network interface (AWSLambdaVPCAccessExecutionRole's actions), as db-bootstrap's.
        { Sid: "CreateItsNetworkInterface", Effect: "Allow", Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], Resource: "*" },
        { Sid: "ManageItsNetworkInterface", Effect: "Allow", Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], Resource: `arn:aws:ec2:${region}:${accountId}:network-interface/*` },
      ],
    });

    const config: ForwarderConfig = { environment: props.environment, routes: forwarderRoutes(props.routes, props.receivers), receivers: forwarderReceivers(props.receivers, props.routes), ownAlarms: [errorsAlarmName] };
    const bundle = alarmForwarderBundle();
    const code = new TerraformAsset(this, "code", { path: bundle.path, type: AssetType.FILE });
    this.function = new LambdaFunction(this, "Default", {
      functionName: name,
      description: `Forwards the CloudWatch alarms of ${props.environment} to Slack, PagerDuty and webhooks (functions/alarm-forwarder)`,
      runtime: LAMBDA_NODE_RUNTIME,
      architectures: ["arm64"],
      handler: bundle.handler,
      filename: code.path,
      sourceCodeHash: bundle.sha256,
      role: role.arn,
      timeout: 30,
      memorySize: 256,
      // Enough for an alarm storm; beyond it Lambda queues and retries throttled events for hours.
      reservedConcurrentExecutions: 5,
      kmsKeyArn: key.arn,
      environment: { variables: { [CONFIG_VARIABLE]: JSON.stringify(config) } },
      vpcConfig: { subnetIds: [...props.subnetIds], securityGroupIds: [this.securityGroup.id] },
      deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      tracingConfig: { mode: "PassThrough" },
      // Its logs' group first; its policy first too: Lambda checks at creation that the role may
      // send to the dead-letter queue and make network interfaces.
      dependsOn: [logGroup, role.role, ...(role.inlinePolicy ? [role.inlinePolicy] : [])],
    });

    const permission = new LambdaPermission(this, "from-topic", { statementId: "AlertTopic", action: "lambda:InvokeFunction", functionName: this.function.functionName, principal: "sns.amazonaws.com", sourceArn: props.topicArn });
    new SnsTopicSubscription(this, "subscription", {
      topicArn: props.topicArn,
      protocol: "lambda",
      endpoint: this.function.arn,
      // Only CloudWatch's alarm changes: a body that is not such JSON (Alertmanager's mails) never reaches it.
      filterPolicyScope: "MessageBody",
      filterPolicy: JSON.stringify({ AlarmName: [{ exists: true }], NewStateValue: ["ALARM", "OK"] }),
      dependsOn: [permission],
    });

    notifyingAlarm(this, "errors", { topicArn: props.topicArn, runbookBaseUrl: props.runbookBaseUrl }, {
      name: errorsAlarmName,
      severity: "critical",
      summary: `The alarm forwarder ${name} failed: CloudWatch alarms may not have reached Slack, PagerDuty or the webhooks (the failed events are in ${name}-dead-letters).`,
      runbook: "aws-alarm-forwarder-errors.md",
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: name },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      // No invocation, no datapoint: nothing failed.
      treatMissingData: "notBreaching",
    });
  }
}

/** The routes, each severity's receivers in config's order. */
function forwarderRoutes(routes: AlarmForwarderProps["routes"], receivers: AlarmForwarderProps["receivers"]): ForwarderConfig["routes"] {
  return { critical: routes.critical.filter((r) => r in receivers), warning: routes.warning.filter((r) => r in receivers) };
}

/** The routed receivers as the function reads them: where each secret is, never a value. */
function forwarderReceivers(receivers: AlarmForwarderProps["receivers"], routes: AlarmForwarderProps["routes"]): Record<string, ReceiverEntry> {
  const routed = [...new Set(SEVERITIES.flatMap((s) => routes[s]))].filter((r) => r in receivers).sort();
  return Object.fromEntries(
    routed.map((name): [string, ReceiverEntry] => {
      const r = receivers[name] as AlarmForwarderReceiver;
      if (r.type === "email" || !r.secret) return [name, { type: "email" }];
      const secret = { secretName: r.secret.name, secretKey: r.secret.key };
      if (r.type === "slack") return [name, { type: "slack", channel: r.channel ?? "", ...secret }];
      if (r.type === "pagerduty") return [name, { type: "pagerduty", ...(r.severity ? { severity: r.severity } : {}), ...secret }];
      return [name, { type: "webhook", ...secret }];
    }),
  );
}
