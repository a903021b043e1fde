import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { policyJson, serviceTrust } from "../iam/policy-document";
import { EncryptionKey } from "../kms/encryption-key";

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
  /** Days to keep flow logs (a CloudWatch-allowed period). */
  readonly retentionDays: number;
  /** Permissions boundary of the delivery role. */
  readonly permissionsBoundaryArn: string;
}

/**
 * VPC flow logs (accepted and rejected traffic) to a CloudWatch log group encrypted with its own
 * KMS key, delivered by a role that can write only to that group.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
 */
export class VpcFlowLogs extends Construct {
  /** The log group. */
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const logGroupName = `/aws/vpc/flow-logs/${props.name}`;
    const logGroupArn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;
    const key = new EncryptionKey(this, "key", {
      description: `Encrypts the VPC flow logs of ${props.name}`,
      aliasName: `alias/${props.name}-flow-logs`,
      accountId: props.accountId,
      statements: [
        {
          Sid: "AllowCloudWatchLogsForThisLogGroup",
          Effect: "Allow",
          Principal: { Service: `logs.${props.region}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
        },
      ],
    });
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.retentionDays,
      kmsKeyId: key.arn,
    });
    const role = new IamRole(this, "role", {
      name: `${props.name}-vpc-flow-logs`,
      description: `Delivers the VPC flow logs of ${props.name} to CloudWatch Logs`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: policyJson({
        Statement: [serviceTrust("vpc-flow-logs.amazonaws.com", props.accountId, `arn:aws:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`)],
      }),
    });
    new IamRolePolicy(this, "role-policy", {
      name: "write-flow-logs",
      role: role.id,
      policy: policyJson({
        Statement: [
          {
            Sid: "WriteToTheFlowLogGroupOnly",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroupArn, `${logGroupArn}:*`],
          },
        ],
      }),
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
