import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodebuildWebhook } from "@cdktf/provider-aws/lib/codebuild-webhook";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { admitToApi } from "../eks/api-access";
import { serviceTrust } from "../iam/policy-document";
import { Role } from "../iam/role";
import { encryptedLogGroup } from "../logs/encrypted-log-group";

/**
 * The image every runner starts from: CodeBuild's managed Amazon Linux image for ARM, which has
 * the AWS CLI (`aws eks get-token`) and git. A managed image needs no ECR permission to pull.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/ec2-compute-images.html
 */
export const RUNNER_IMAGE = "aws/codebuild/amazonlinux-aarch64-standard:3.0";

/** Props of {@link CodebuildRunner}. */
export interface CodebuildRunnerProps {
  /** The CodeBuild project's name: jobs select the runner by it (`codebuild-<name>-<run id>-<attempt>`). */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** The GitHub repository (`org/repo`) whose workflow jobs the runner takes. */
  readonly repository: string;
  /** The CodeConnections connection to GitHub (made once by an operator). */
  readonly connectionArn: string;
  readonly vpcId: string;
  /** Private subnets (with a NAT route: jobs download actions, Terraform and its providers). */
  readonly subnetIds: readonly string[];
  /** The API's own security group (the control plane's interfaces only), which gets a rule admitting the runner on 443. */
  readonly apiSecurityGroupId: string;
  readonly permissionsBoundaryArn: string;
  /** @default "BUILD_GENERAL1_MEDIUM" */
  readonly computeType?: string;
  /** @default 90 */
  readonly logRetentionDays?: number;
}

/**
 * An environment's GitHub Actions runners, hosted by AWS CodeBuild in its private subnets: a
 * webhook on `WORKFLOW_JOB_QUEUED` starts an ephemeral build for each job labelled
 * `codebuild-<name>-<run id>-<attempt>`, which registers as a just-in-time runner, runs that one
 * job and ends. Nothing runs, and nothing is paid, while no job waits.
 *
 * The job sees the build's credentials, so the runner's role can do nothing but run the build:
 * write its own logs, manage the network interfaces of its VPC config, and use the connection.
 * It reads no state and assumes no role: each job still takes its plan, apply or drift role
 * from GitHub's OIDC token (AssumeRoleWithWebIdentity needs no caller credentials).
 * Its security group admits nothing; it sends HTTPS only (GitHub, registries, AWS APIs), and
 * the cluster admits it on 443.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-iam-identity-based-access-control.html#customer-managed-policies-example-create-vpc-network-interface
 */
export class CodebuildRunner extends Construct {
  readonly project: CodebuildProject;
  readonly role: Role;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: CodebuildRunnerProps) {
    super(scope, id);
    const { name, accountId, region } = props;
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(props.repository)) {
      throw new Error(`${this.node.path}: repository must be org/repo, got "${props.repository}"`);
    }

    // No inline egress: with standalone rules beside it, `egress = []` would revoke them on every
    // apply. Terraform removes AWS's default allow-all egress when it creates the group anyway.
    // @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
    this.securityGroup = new SecurityGroup(this, "security-group", { name, description: `${name}: GitHub Actions runners; admits nothing, sends HTTPS only`, vpcId: props.vpcId });
    // GitHub, the action and provider registries and the AWS APIs are all HTTPS; DNS goes to
    // the VPC resolver, which security groups do not filter.
    new VpcSecurityGroupEgressRule(this, "https-out", { securityGroupId: this.securityGroup.id, description: "HTTPS: GitHub, registries, AWS APIs, the cluster API", cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 });
    admitToApi(this, "cluster-api-from-runner", props.apiSecurityGroupId, { securityGroupId: this.securityGroup.id, description: `CI's runner ${name}` });

    const { key, group: logGroup, arn: logGroupArn } = encryptedLogGroup(this, { logGroupName: `/aws/codebuild/${name}`, aliasName: `alias/${name}`, description: `Encrypts the build logs of ${name}`, accountId, region, retentionDays: props.logRetentionDays ?? 90 });

    const connectionService = props.connectionArn.split(":")[2] ?? "codeconnections";
    const projectArn = `arn:aws:codebuild:${region}:${accountId}:project/${name}`;
    this.role = new Role(this, "role", {
      name,
      description: `${name}: runs CI's jobs in the VPC; no access to state, roles or workloads`,
      trust: [serviceTrust("codebuild.amazonaws.com", accountId, projectArn)],
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      statements: [
        { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
        // CodeBuild's documented policy for a project with a VPC config: describing the network
        // and creating an interface take "*" (an interface has no ARN before it exists).
        {
          Sid: "DescribeItsNetwork",
          Effect: "Allow",
          Action: ["ec2:CreateNetworkInterface", "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
          Resource: "*",
        },
        { Sid: "DeleteItsInterfaces", Effect: "Allow", Action: "ec2:DeleteNetworkInterface", Resource: `arn:aws:ec2:${region}:${accountId}:network-interface/*` },
        {
          Sid: "AttachInterfacesInItsSubnetsOnly",
          Effect: "Allow",
          Action: "ec2:CreateNetworkInterfacePermission",
          Resource: `arn:aws:ec2:${region}:${accountId}:network-interface/*`,
          Condition: {
            StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
            // The subnets of its VPC config (ids from the network stack's state, so formatted by Terraform).
            ArnEquals: { "ec2:Subnet": Token.asList(Fn.formatlist(`arn:aws:ec2:${region}:${accountId}:subnet/%s`, [props.subnetIds])) },
          },
        },
        // What CodeBuild needs to reach GitHub through the connection (register the runner).
        { Sid: "UseTheConnection", Effect: "Allow", Action: [`${connectionService}:GetConnectionToken`, `${connectionService}:GetConnection`], Resource: props.connectionArn },
      ],
    });

    this.project = new CodebuildProject(this, "Default", {
      name,
      description: `GitHub Actions runners of ${props.repository} in the VPC (jobs that reach the cluster API)`,
      serviceRole: this.role.arn,
      // No concurrent build limit: past it CodeBuild refuses new builds instead of queueing them,
      // and the job would wait for a runner until GitHub gives up (24 h). The account's quota
      // queues them instead (queuedTimeout).
      // @see https://docs.aws.amazon.com/codebuild/latest/userguide/builds-working.html
      buildTimeout: 120,
      queuedTimeout: 30,
      artifacts: { type: "NO_ARTIFACTS" },
      // What CodeBuild would encrypt build output with: there is none (NO_ARTIFACTS), but never
      // AWS's default key if a setting changes that (Checkov CKV_AWS_147).
      encryptionKey: key.arn,
      environment: { type: "ARM_CONTAINER", computeType: props.computeType ?? "BUILD_GENERAL1_MEDIUM", image: RUNNER_IMAGE, imagePullCredentialsType: "CODEBUILD", privilegedMode: false },
      source: { type: "GITHUB", location: `https://github.com/${props.repository}.git`, auth: { type: "CODECONNECTIONS", resource: props.connectionArn }, reportBuildStatus: false },
      vpcConfig: { vpcId: props.vpcId, subnets: [...props.subnetIds], securityGroupIds: [this.securityGroup.id] },
      logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
      // The role's policy first: CodeBuild checks the VPC permissions when the project is made.
      dependsOn: [logGroup, ...(this.role.inlinePolicy ? [this.role.inlinePolicy] : [])],
    });

    // Queued jobs of this repository start a runner only when they carry this project's label
    // (CodeBuild ignores the rest). No workflow-name filter: it would add no protection (a pull
    // request's workflow file is the pull request's own), and what a job of a called workflow
    // (apply-env.yml) reports as its workflow's name is not documented. What keeps forks out is
    // the repository's settings (docs/first-deployment.md, step 5) and the workflows' own guards.
    new CodebuildWebhook(this, "webhook", {
      projectName: this.project.name,
      buildType: "BUILD",
      filterGroup: [{ filter: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }],
    });
  }
}
