import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { parameterFamily } from "./engines";
import { engineLifecycleSupport, type EngineOutputs, type InstanceCommon, parameterGroupProps, type ResolvedDatabaseSettings } from "./settings";

/** Props of {@link RdsInstance}. */
export interface RdsInstanceProps {
  /** Instance identifier; part of its endpoint and of the final snapshot's name. */
  readonly identifier: string;
  /** The database's settings, defaults applied. */
  readonly settings: ResolvedDatabaseSettings;
  /** What every instance shares (monitoring, TLS CA, no public address). */
  readonly common: InstanceCommon;
  /** The key for storage and the master secret. */
  readonly kmsKeyArn: string;
  /** The subnet group (data subnets). */
  readonly subnetGroupName: string;
  /** The database's security group. */
  readonly securityGroupId: string;
  /** The log groups the instance exports to: created first, so RDS never makes them unencrypted and unexpiring. */
  readonly logGroups: readonly ITerraformDependable[];
  /** The zones of the subnet group, in order (Aurora spreads its instances over them; RDS Multi-AZ places its standby itself). */
  readonly availabilityZones: readonly string[];
}

/** Log types RDS for PostgreSQL exports: the server log and major-upgrade logs. */
export const RDS_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/**
 * One RDS for PostgreSQL instance (Multi-AZ when asked) with its parameter group: gp3 storage
 * that grows on its own, the master password in Secrets Manager, IAM authentication, and a
 * final snapshot with a fixed name on deletion.
 */
export class RdsInstance extends Construct implements EngineOutputs {
  /** The instance. */
  readonly instance: DbInstance;
  readonly endpoint: string;
  readonly readerEndpoint: string;
  readonly resourceId: string;
  readonly arn: string;
  readonly masterSecretArn: string;

  constructor(scope: Construct, id: string, props: RdsInstanceProps) {
    super(scope, id);
    const { settings, identifier } = props;
    const parameters = new DbParameterGroup(this, "parameters", parameterGroupProps(identifier, parameterFamily("postgres", settings.version), settings));
    this.instance = new DbInstance(this, "Default", {
      identifier,
      engine: "postgres",
      engineVersion: settings.version,
      allowMajorVersionUpgrade: true,
      // Never enrolled in paid Extended Support by default (RDS's default enrols).
      engineLifecycleSupport: engineLifecycleSupport(settings),
      instanceClass: settings.instanceClass,
      multiAz: settings.multiAz,
      storageType: "gp3",
      allocatedStorage: settings.allocatedStorageGiB,
      maxAllocatedStorage: settings.maxAllocatedStorageGiB,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbName: settings.databaseName,
      username: settings.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      port: 5432,
      dbSubnetGroupName: props.subnetGroupName,
      vpcSecurityGroupIds: [props.securityGroupId],
      parameterGroupName: parameters.name,
      backupRetentionPeriod: settings.backupRetentionDays,
      backupWindow: settings.backupWindow,
      maintenanceWindow: settings.maintenanceWindow,
      deletionProtection: settings.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      copyTagsToSnapshot: true,
      // Automated backups outlive the instance: a mistaken deletion still has point-in-time restore.
      deleteAutomatedBackups: false,
      enabledCloudwatchLogsExports: [...RDS_LOG_EXPORTS],
      ...props.common,
      dependsOn: [...props.logGroups],
    });
    this.endpoint = this.instance.address;
    this.readerEndpoint = this.instance.address;
    this.resourceId = this.instance.resourceId;
    this.arn = this.instance.arn;
    this.masterSecretArn = this.instance.masterUserSecret.get(0).secretArn;
  }
}
