import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AssetType, type ITerraformDependable, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { BootstrapEvent } from "../../functions/db-bootstrap/handler";
import type { BootstrapUser } from "../../functions/db-bootstrap/input";
import { serviceTrust } from "../iam/policy-document";
import { Role } from "../iam/role";
import { encryptedLogGroup } from "../logs/encrypted-log-group";
import { assertLogRetention } from "../logs/retention";
import { DB_BOOTSTRAP_RUNTIME, dbBootstrapBundle } from "./function-bundle";

/** Props of {@link DatabaseBootstrap}. */
export interface DatabaseBootstrapProps {
  /** The database's identifier (`<env>-postgres`); the function is `<identifier>-bootstrap`. */
  readonly identifier: string;
  readonly vpcId: string;
  /** The data subnets, where the database is. */
  readonly subnetIds: readonly string[];
  /** The database's security group: it admits the function on the database's port. */
  readonly databaseSecurityGroupId: string;
  /** The interface VPC endpoints' security group: the function reaches Secrets Manager through its endpoint (data subnets have no route out). */
  readonly endpointSecurityGroupId: string;
  /** Host name of the writer. */
  readonly host: string;
  readonly port: number;
  /** The application database, which RDS made with the instance. */
  readonly database: string;
  /** Every user that should exist, with its service. */
  readonly users: readonly BootstrapUser[];
  /** The RDS-managed master secret: the only secret the function may read. */
  readonly masterSecretArn: string;
  /** The key that secret is encrypted with. */
  readonly masterSecretKeyArn: string;
  /** What must exist before the function connects: the writer instance (Aurora's cluster alone accepts no connection). */
  readonly databaseReady: readonly ITerraformDependable[];
  readonly accountId: string;
  readonly region: string;
  readonly permissionsBoundaryArn: string;
  /**
   * Retention of the function's logs, days.
   * @default 90
   */
  readonly logRetentionDays?: number;
}

/**
 * The database's users, made at apply by a function the project ships (functions/db-bootstrap)
 * and Terraform invokes (`aws_lambda_invocation`): each user logs in only with IAM
 * authentication (`rds_iam`), owns a schema of its own name, and may connect to the
 * application database only. Removing a user from config revokes its login and keeps its data.
 *
 * The function runs in the data subnets as the master user, whose RDS-managed secret is the only
 * one it can read; it connects over TLS, verifying the server against RDS's CAs. Its security
 * group may reach the database's port and the Secrets Manager endpoint, nothing else, and the
 * database admits it on its port only. Terraform invokes it again whenever the user list or the
 * function's code changes (both are in its input), and the apply fails if it fails.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.DBAccounts.html
 */
export class DatabaseBootstrap extends Construct {
  readonly function: LambdaFunction;
  readonly invocation: LambdaInvocation;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: DatabaseBootstrapProps) {
    super(scope, id);
    const logRetentionDays = props.logRetentionDays ?? 90;
    assertLogRetention(this.node.path, logRetentionDays);
    const { identifier, accountId, region } = props;
    const name = `${identifier}-bootstrap`;

    // No inline egress beside the standalone rules (`egress = []` would revoke them on every apply).
    this.securityGroup = new SecurityGroup(this, "security-group", { name, description: `${name}: to its database and the Secrets Manager endpoint only`, vpcId: props.vpcId });
    new VpcSecurityGroupEgressRule(this, "to-database", {
      securityGroupId: this.securityGroup.id,
      description: "PostgreSQL to the database",
      referencedSecurityGroupId: props.databaseSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: props.port,
      toPort: props.port,
    });
    new VpcSecurityGroupEgressRule(this, "to-endpoints", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS to the interface endpoints (Secrets Manager)",
      referencedSecurityGroupId: props.endpointSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
    });
    const admitted = new VpcSecurityGroupIngressRule(this, "database-from-bootstrap", {
      securityGroupId: props.databaseSecurityGroupId,
      description: "PostgreSQL from the bootstrap function",
      referencedSecurityGroupId: this.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: props.port,
      toPort: props.port,
    });

    const { key, group: logGroup, arn: logGroupArn } = encryptedLogGroup(this, { logGroupName: `/aws/lambda/${name}`, aliasName: `alias/${name}`, description: `Encrypts the logs and settings of ${name}`, accountId, region, retentionDays: logRetentionDays });

    const role = new Role(this, "role", {
      name,
      description: `${name}: reads the master secret of ${identifier} to create its users`,
      trust: [serviceTrust("lambda.amazonaws.com", accountId, `arn:aws:lambda:${region}:${accountId}:function:${name}`)],
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      statements: [
        { Sid: "ReadTheMasterSecretOnly", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: props.masterSecretArn },
        { Sid: "DecryptItThroughSecretsManager", Effect: "Allow", Action: "kms:Decrypt", Resource: props.masterSecretKeyArn, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } } },
        { Sid: "ItsOwnSettings", Effect: "Allow", Action: "kms:Decrypt", Resource: key.arn, Condition: { StringEquals: { "kms:ViaService": `lambda.${region}.amazonaws.com` } } },
        { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
        // What Lambda needs for the function's network interface in the VPC (the actions of the
        // AWS managed policy AWSLambdaVPCAccessExecutionRole). Creating one takes "*": a network
        // interface has no ARN before it exists; the rest name network interfaces of this account.
        { Sid: "CreateItsNetworkInterface", Effect: "Allow", Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], Resource: "*" },
        {
          Sid: "ManageItsNetworkInterface",
          Effect: "Allow",
          Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
          Resource: `arn:aws:ec2:${region}:${accountId}:network-interface/*`,
        },
      ],
    });

    const bundle = dbBootstrapBundle();
    const code = new TerraformAsset(this, "code", { path: bundle.path, type: AssetType.FILE });
    this.function = new LambdaFunction(this, "Default", {
      functionName: name,
      description: `Creates and revokes the IAM-authenticated users of ${identifier} (functions/db-bootstrap)`,
      runtime: DB_BOOTSTRAP_RUNTIME,
      architectures: ["arm64"],
      handler: bundle.handler,
      filename: code.path,
      sourceCodeHash: bundle.sha256,
      role: role.arn,
      timeout: 120,
      memorySize: 256,
      // One run at a time: a second waits for the first's advisory lock anyway.
      reservedConcurrentExecutions: 1,
      kmsKeyArn: key.arn,
      environment: { variables: { DB_HOST: props.host, DB_PORT: String(props.port), MASTER_SECRET_ARN: props.masterSecretArn } },
      vpcConfig: { subnetIds: [...props.subnetIds], securityGroupIds: [this.securityGroup.id] },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      tracingConfig: { mode: "PassThrough" },
      // Its logs' group first, so Lambda never makes one of its own (unencrypted, kept forever).
      dependsOn: [logGroup, role.role],
    });

    const users = [...props.users].sort((a, b) => a.name.localeCompare(b.name)).map((u) => ({ name: u.name, service: u.service }));
    const event: BootstrapEvent = { database: props.database, users, codeSha256: bundle.sha256 };
    // The default lifecycle (CREATE_ONLY): a changed input is a new invocation. The function works
    // out what to revoke from the whole list, so it needs no delete event (CRUD would add a `tf`
    // key it refuses, and run a delete on every replacement).
    this.invocation = new LambdaInvocation(this, "run", {
      functionName: this.function.functionName,
      input: JSON.stringify(event),
      // The database accepts connections, admits the function, and the function may read the secret.
      dependsOn: [admitted, ...props.databaseReady, ...(role.inlinePolicy ? [role.inlinePolicy] : [])],
    });
  }
}
