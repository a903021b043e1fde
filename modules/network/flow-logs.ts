import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Construct } from "constructs";
import { serviceTrust } from "../iam/policy-document";
import { Role } from "../iam/role";
import { EncryptionKey } from "../kms/encryption-key";
import { assertLogRetention, logGroupKeyStatement } from "../logs/retention";

/** Props of {@link VpcFlowLogs}. */
export interface VpcFlowLogsProps {
  /** The VPC to log. */
  readonly vpcId: string;
  /** Environment name, used in resource names. */
  readonly name: string;
  /** Account of the VPC, for ARNs and the key policy. */
  readonly accountId: string;
  /** Region of the VPC: the CloudWatch Logs service principal and log-group ARNs are regional. */
  readonly region: string;
  /**
   * Days to keep flow logs: one of CloudWatch's periods (modules/logs/retention.ts).
   * @default 365
   */
  readonly retentionDays?: number;
  /** Permissions boundary of the delivery role. */
  readonly permissionsBoundaryArn: string;
  /**
   * The key that encrypts the log group. Its policy must let `logs.<region>.amazonaws.com` use it
   * for this log group.
   * @default - a key of its own, with exactly that statement
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * VPC flow logs (accepted and rejected traffic) to a CloudWatch log group encrypted with a KMS
 * key, delivered by a role that can write only to that group.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
 */
export class VpcFlowLogs extends Construct {
  /** The log group. */
  readonly logGroup: CloudwatchLogGroup;
  /** The key that encrypts it. */
  readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 365;
    assertLogRetention(this.node.path, retentionDays);
    const logGroupName = `/aws/vpc/flow-logs/${props.name}`;
    const logGroupArn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;
    this.encryptionKey =
      props.encryptionKey ??
      new EncryptionKey(this, "key", {
        description: `Encrypts the VPC flow logs of ${props.name}`,
        aliasName: `alias/${props.name}-flow-logs`,
        accountId: props.accountId,
        statements: [logGroupKeyStatement(props.region, logGroupArn)],
      });
    this.logGroup = new CloudwatchLogGroup(this, "log-group", { name: logGroupName, retentionInDays: retentionDays, kmsKeyId: this.encryptionKey.arn });
    const role = new Role(this, "role", {
      name: `${props.name}-vpc-flow-logs`,
      description: `Delivers the VPC flow logs of ${props.name} to CloudWatch Logs`,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      trust: [serviceTrust("vpc-flow-logs.amazonaws.com", props.accountId, `arn:aws:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`)],
      statements: [
        {
          Sid: "WriteToTheFlowLogGroupOnly",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [logGroupArn, `${logGroupArn}:*`],
        },
      ],
    });
    new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      // One-minute aggregation: the default ten minutes is too coarse to investigate an incident.
      maxAggregationInterval: 60,
      tags: { Name: `${props.name}-vpc` },
    });
  }
}
