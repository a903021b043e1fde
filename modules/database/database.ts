import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { MANAGED_POLICIES } from "../iam/managed-policies";
import { type IGrantable, sidPart } from "../iam/grant";
import { serviceTrust } from "../iam/policy-document";
import { Role } from "../iam/role";
import { EncryptionKey } from "../kms/encryption-key";
import { assertLogRetention, logGroupKeyStatement } from "../logs/retention";
import { AURORA_LOG_EXPORTS, AuroraCluster } from "./aurora-cluster";
import { instanceClassProblem } from "./engines";
import { RDS_LOG_EXPORTS, RdsInstance } from "./rds-instance";
import { type DatabaseSettings, type EngineOutputs, withDefaults } from "./settings";

/** PostgreSQL's port: the only one the security group opens. */
export const POSTGRES_PORT = 5432;

/** Props of {@link Database}. */
export interface DatabaseProps extends DatabaseSettings {
  /** Identifier of the instance or cluster (`<env>-postgres`); changing it replaces the database. */
  readonly identifier: string;
  /** The VPC. */
  readonly vpcId: string;
  /** The data subnets, one per zone. */
  readonly subnetIds: readonly string[];
  /**
   * The zones of the data subnets, in order: Aurora's instances are spread over them, so the
   * reader that takes over is never in the writer's zone.
   */
  readonly availabilityZones: readonly string[];
  /**
   * The security groups admitted on 5432, by client (a service: its pods' own group, security
   * groups for pods), one rule each (`from-<client>-pods`): the only sources admitted, besides the
   * bootstrap function's group. Keyed by name, so adding a client never renumbers another.
   */
  readonly clientSecurityGroupIds: Readonly<Record<string, string>>;
  /**
   * The cluster's node group, still admitted on 5432 while a running environment moves to pods'
   * own groups (config `eks.nodesReachDataStores`), at the rule's old address and description.
   * @default - none: the pods' groups only
   */
  readonly transitionNodeSecurityGroupId?: string;
  /** The account, for the key policy and grant ARNs. */
  readonly accountId: string;
  /** The region, for grant ARNs and the log key. */
  readonly region: string;
  /** The permissions boundary of the enhanced-monitoring role. */
  readonly permissionsBoundaryArn: string;
}

/**
 * PostgreSQL for an application: RDS or Aurora by one setting, the same protections either way.
 *
 * - Its own KMS key (with rotation) for storage, the master secret, Performance Insights and logs.
 * - Data subnets only, no public address, and a security group that admits 5432 from the
 *   clients' security groups and from nothing else: no CIDR rule at all.
 * - TLS forced by the parameter group; IAM authentication on; the master password managed by
 *   RDS in Secrets Manager (never in Terraform config or state) and rotated on a schedule.
 * - Deletion protection, a final snapshot with a fixed name, backups kept after deletion.
 * - Performance Insights, enhanced monitoring and log export into encrypted log groups.
 *
 * Applications connect with {@link Database.grantConnect}: an IAM token for one database user.
 */
export class Database extends Construct {
  /** The key that encrypts everything of the database. */
  readonly key: EncryptionKey;
  /** The database's security group. */
  readonly securityGroup: SecurityGroup;
  /** The RDS instance or Aurora cluster. */
  readonly engine: RdsInstance | AuroraCluster;
  /** Host name of the writer. */
  readonly endpoint: string;
  /** Host name of the readers (the writer's, on RDS). */
  readonly readerEndpoint: string;
  /** The resource id IAM authentication names (the cluster's on Aurora). */
  readonly resourceId: string;
  /** ARN of the instance or cluster. */
  readonly arn: string;
  /** ARN of the master user's secret (RDS-managed); for administrators, never for applications. */
  readonly masterSecretArn: string;
  /** The port. */
  readonly port = POSTGRES_PORT;
  /** What accepts connections once it exists: the instance, or Aurora's instances (a cluster alone serves none). */
  readonly ready: readonly ITerraformDependable[];
  private readonly props: DatabaseProps;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    this.props = props;
    const settings = withDefaults(props);
    const problem = instanceClassProblem(settings.engine, settings.instanceClass);
    if (problem) throw new Error(`${this.node.path}: instanceClass "${settings.instanceClass}" ${problem}`);
    if (settings.backupRetentionDays < 7 || settings.backupRetentionDays > 35) {
      throw new Error(`${this.node.path}: backupRetentionDays must be 7–35 (got ${settings.backupRetentionDays})`);
    }
    assertLogRetention(this.node.path, settings.logRetentionDays);
    const aurora = settings.engine === "aurora-postgresql";
    const { identifier, accountId, region } = props;

    const logPrefix = `/aws/rds/${aurora ? "cluster" : "instance"}/${identifier}`;
    this.key = new EncryptionKey(this, "key", {
      description: `Encrypts the database ${identifier}: storage, master secret, Performance Insights, logs`,
      aliasName: `alias/${identifier}`,
      accountId,
      statements: [logGroupKeyStatement(region, `arn:aws:logs:${region}:${accountId}:log-group:${logPrefix}/*`)],
    });
    const logGroups = (aurora ? AURORA_LOG_EXPORTS : RDS_LOG_EXPORTS).map(
      (type) => new CloudwatchLogGroup(this, `logs-${type}`, { name: `${logPrefix}/${type}`, retentionInDays: settings.logRetentionDays, kmsKeyId: this.key.arn }),
    );
    const subnetGroup = new DbSubnetGroup(this, "subnets", { name: identifier, description: `Data subnets of ${identifier}`, subnetIds: [...props.subnetIds] });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: identifier,
      // Written before pods had groups of their own; EC2 cannot change a group's description (a new
      // one replaces the group, and the database's interface with it), so the rules say who is admitted.
      description: `${identifier}: PostgreSQL from the cluster's nodes only`,
      vpcId: props.vpcId,
      // No egress: the database initiates no connections.
      egress: [],
    });
    if (props.transitionNodeSecurityGroupId) {
      new VpcSecurityGroupIngressRule(this, "from-clients", {
        securityGroupId: this.securityGroup.id,
        description: "PostgreSQL from the cluster's nodes and pods",
        referencedSecurityGroupId: props.transitionNodeSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
      });
    }
    for (const [client, groupId] of Object.entries(props.clientSecurityGroupIds).sort(([a], [b]) => a.localeCompare(b))) {
      new VpcSecurityGroupIngressRule(this, `from-${client}-pods`, {
        securityGroupId: this.securityGroup.id,
        description: `PostgreSQL from the pods of ${client} (their own security group)`,
        referencedSecurityGroupId: groupId,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
      });
    }
    const monitoringRole = new Role(this, "monitoring-role", {
      name: `${identifier}-monitoring`,
      description: `Enhanced monitoring of ${identifier}`,
      trust: [serviceTrust("monitoring.rds.amazonaws.com", accountId)],
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      managedPolicyArns: [MANAGED_POLICIES.rdsEnhancedMonitoring],
    });
    const engineProps = {
      identifier,
      settings,
      kmsKeyArn: this.key.arn,
      subnetGroupName: subnetGroup.name,
      securityGroupId: this.securityGroup.id,
      logGroups,
      availabilityZones: props.availabilityZones,
      common: {
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        caCertIdentifier: settings.caCertIdentifier,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: this.key.arn,
        performanceInsightsRetentionPeriod: settings.performanceInsightsRetentionDays,
        monitoringInterval: settings.monitoringIntervalSeconds,
        monitoringRoleArn: monitoringRole.arn,
      },
    } as const;
    this.engine = aurora ? new AuroraCluster(this, "cluster", engineProps) : new RdsInstance(this, "instance", engineProps);
    const outputs: EngineOutputs = this.engine;
    this.endpoint = outputs.endpoint;
    this.readerEndpoint = outputs.readerEndpoint;
    this.resourceId = outputs.resourceId;
    this.masterSecretArn = outputs.masterSecretArn;
    this.arn = outputs.arn;
    this.ready = this.engine instanceof AuroraCluster ? Object.values(this.engine.instances) : [this.engine.instance];

    // RDS rotates the managed secret itself (no Lambda); this sets how often. A schedule
    // expression, as the console writes one, so a change made there shows as drift.
    new SecretsmanagerSecretRotation(this, "master-password-rotation", {
      secretId: this.masterSecretArn,
      rotationRules: { scheduleExpression: `rate(${settings.masterPasswordRotationDays} days)` },
    });
  }

  /**
   * Lets a role connect as one database user with IAM authentication: `rds-db:connect` on
   * `dbuser:<resource-id>/<user>` of this database, nothing wider. The user must exist in
   * PostgreSQL with `GRANT rds_iam TO <user>` (docs/how-to.md, "Connecting with IAM").
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
   */
  grantConnect(grantee: IGrantable, dbUser: string): void {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(dbUser)) {
      throw new Error(`${this.node.path}: grantConnect to ${grantee.grantName}: "${dbUser}" is not a PostgreSQL role name (lowercase letters, digits and _, starting with a letter)`);
    }
    if (dbUser === this.props.masterUsername) {
      throw new Error(`${this.node.path}: grantConnect to ${grantee.grantName}: "${dbUser}" is the master user, which no application may use; grant a user of its own`);
    }
    grantee.addToPrincipalPolicy({
      Sid: `Connect${sidPart(this.props.identifier)}As${sidPart(dbUser)}`,
      Effect: "Allow",
      Action: "rds-db:connect",
      Resource: `arn:aws:rds-db:${this.props.region}:${this.props.accountId}:dbuser:${this.resourceId}/${dbUser}`,
    });
  }
}
