import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Construct } from "constructs";
import { admitToApi } from "../eks/api-access";
import { serviceTrust } from "../iam/policy-document";
import { Role } from "../iam/role";
import { encryptedLogGroup } from "../logs/encrypted-log-group";

/**
 * The smallest Graviton instance: the host only relays a port-forwarding session.
 * @see https://aws.amazon.com/ec2/instance-types/t4/
 */
export const ACCESS_HOST_INSTANCE_TYPE = "t4g.nano";

/**
 * The AMI, resolved by EC2 at each launch from AWS's public parameter: the latest Amazon Linux
 * 2023 for ARM, which ships the SSM agent. No AMI id in code, and no data source at plan.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami-parameter-store.html
 * @see https://docs.aws.amazon.com/linux/al2023/ug/ec2.html
 */
export const ACCESS_HOST_IMAGE = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/**
 * The interface endpoints the host's agent needs, so that it reaches nothing outside the VPC:
 * Session Manager's two, KMS for the sessions' encryption, and logs (a default endpoint).
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html
 */
export const ACCESS_HOST_ENDPOINTS = ["ssm", "ssmmessages", "kms"] as const;

/** Props of {@link AccessHost}. */
export interface AccessHostProps {
  /** Name of the group, its instance, role and session document. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  /** The VPC's block: the host sends HTTPS into it only (the endpoints and the cluster API). */
  readonly vpcCidr: string;
  /** Private subnets, one per zone: the group replaces the host in another zone if one fails. */
  readonly subnetIds: readonly string[];
  /** The API's own security group (the control plane's interfaces only), which gets a rule admitting the host on 443. */
  readonly apiSecurityGroupId: string;
  readonly permissionsBoundaryArn: string;
  /** @default 365 */
  readonly sessionLogRetentionDays?: number;
}

/**
 * The access host of reference design 004's bastion, as AWS recommends it today: no SSH, no
 * public IP, no inbound rule. People reach it through Session Manager only, authenticated and
 * authorized by IAM and recorded by CloudTrail, and forward a local port to the cluster's private
 * endpoint (`AWS-StartPortForwardingSessionToRemoteHost`; `npm run kube`).
 *
 * One instance in an Auto Scaling group: replaced when unhealthy, and at least weekly, so it
 * always runs a recent AMI without being patched in place. IMDSv2 only, one hop (a container on
 * it could not reach the role's credentials), encrypted root volume. Its role has what Session
 * Manager needs and no more. Shell sessions (`--document-name <name>-session`) are encrypted with
 * the host's key and logged to an encrypted log group; Session Manager does not log the data of
 * port-forwarding sessions, which CloudTrail records as StartSession calls.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html
 */
export class AccessHost extends Construct {
  readonly group: AutoscalingGroup;
  readonly launchTemplate: LaunchTemplate;
  readonly role: Role;
  readonly securityGroup: SecurityGroup;
  readonly sessionDocument: SsmDocument;

  constructor(scope: Construct, id: string, props: AccessHostProps) {
    super(scope, id);
    const { name, accountId, region } = props;

    // No inline egress beside the standalone rule (it would revoke it): see CodebuildRunner.
    this.securityGroup = new SecurityGroup(this, "security-group", { name, description: `${name}: Session Manager access host; admits nothing, sends HTTPS into the VPC only`, vpcId: props.vpcId });
    new VpcSecurityGroupEgressRule(this, "https-in-vpc", { securityGroupId: this.securityGroup.id, description: "HTTPS to the interface endpoints and the cluster API", cidrIpv4: props.vpcCidr, ipProtocol: "tcp", fromPort: 443, toPort: 443 });
    admitToApi(this, "cluster-api-from-host", props.apiSecurityGroupId, { securityGroupId: this.securityGroup.id, description: `the access host ${name}` });

    const { key, group: logGroup, arn: logGroupArn } = encryptedLogGroup(this, {
      logGroupName: `/aws/ssm/${name}`,
      aliasName: `alias/${name}`,
      description: `Encrypts the sessions and session logs of ${name}`,
      accountId,
      region,
      retentionDays: props.sessionLogRetentionDays ?? 365,
      ids: { key: "key", group: "session-logs" },
    });

    this.role = new Role(this, "role", {
      name,
      description: `${name}: Session Manager's agent only`,
      trust: [serviceTrust("ec2.amazonaws.com", accountId)],
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      // The "Session Manager only" instance policy of the Systems Manager guide, with logging
      // to CloudWatch and KMS encryption, scoped to this host's log group and key.
      statements: [
        { Sid: "RegisterWithSystemsManager", Effect: "Allow", Action: "ssm:UpdateInstanceInformation", Resource: `arn:aws:ec2:${region}:${accountId}:instance/*` },
        // Session Manager's message channels have no resource ARN.
        { Sid: "SessionChannels", Effect: "Allow", Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], Resource: "*" },
        { Sid: "DecryptItsSessions", Effect: "Allow", Action: "kms:Decrypt", Resource: key.arn },
        { Sid: "WriteItsSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: `${logGroupArn}:*` },
        // The agent checks the group is encrypted before it streams to it; Describe takes "*".
        { Sid: "CheckTheLogGroupIsEncrypted", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
      ],
    });
    const profile = new IamInstanceProfile(this, "profile", { name, role: this.role.name });

    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name,
      description: `${name}: Session Manager only`,
      imageId: ACCESS_HOST_IMAGE,
      instanceType: ACCESS_HOST_INSTANCE_TYPE,
      updateDefaultVersion: true,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      networkInterfaces: [{ associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [this.securityGroup.id] }],
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 10, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: name } },
        { resourceType: "volume", tags: { Name: name } },
      ],
      // The role's policy first: a host started before it cannot register.
      dependsOn: this.role.inlinePolicy ? [this.role.inlinePolicy] : [],
    });

    this.group = new AutoscalingGroup(this, "Default", {
      name,
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      vpcZoneIdentifier: [...props.subnetIds],
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      healthCheckType: "EC2",
      // A week at most: every launch resolves the latest AMI, so the host is never old.
      maxInstanceLifetime: 7 * 24 * 3600,
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 0 } },
      tag: [{ key: "Name", value: name, propagateAtLaunch: true }],
    });

    // Shell sessions with this document are encrypted end to end with the host's key and logged.
    // @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html
    this.sessionDocument = new SsmDocument(this, "session-document", {
      name: `${name}-session`,
      documentType: "Session",
      documentFormat: "JSON",
      content: JSON.stringify({
        schemaVersion: "1.0",
        description: `Shell on ${name}: encrypted and logged`,
        sessionType: "Standard_Stream",
        inputs: {
          kmsKeyId: key.arn,
          cloudWatchLogGroupName: logGroup.name,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          s3EncryptionEnabled: true,
          idleSessionTimeout: "20",
          maxSessionDuration: "120",
          runAsEnabled: false,
          shellProfile: { linux: "", windows: "" },
        },
      }),
    });
  }
}
