import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { Construct } from "constructs";
import { parameterFamily, SERVERLESS_CLASS } from "./engines";
import { type RdsInstanceProps } from "./rds-instance";
import { engineLifecycleSupport, type EngineOutputs, parameterGroupProps } from "./settings";

/** Props of {@link AuroraCluster}: an RDS instance's, the identifier naming the cluster. */
export type AuroraClusterProps = RdsInstanceProps;

/** Log types Aurora PostgreSQL exports (it has no separate upgrade log). */
export const AURORA_LOG_EXPORTS = ["postgresql"] as const;

/**
 * An Aurora PostgreSQL cluster: a writer and `readers` readers (provisioned, or Serverless v2
 * with instance class `db.serverless`), with its cluster parameter group. Instances are keyed
 * `1`, `2`, … so adding a reader never renames another; Aurora picks which is the writer.
 */
export class AuroraCluster extends Construct implements EngineOutputs {
  /** The cluster. */
  readonly cluster: RdsCluster;
  /** The instances, by key. */
  readonly instances: Readonly<Record<string, RdsClusterInstance>>;
  readonly endpoint: string;
  readonly readerEndpoint: string;
  readonly resourceId: string;
  readonly arn: string;
  readonly masterSecretArn: string;

  constructor(scope: Construct, id: string, props: AuroraClusterProps) {
    super(scope, id);
    const { settings, identifier } = props;
    const parameters = new RdsClusterParameterGroup(this, "parameters", parameterGroupProps(identifier, parameterFamily("aurora-postgresql", settings.version), settings));
    const serverless = settings.instanceClass === SERVERLESS_CLASS;
    if (serverless !== (settings.serverless !== undefined)) {
      throw new Error(`${this.node.path}: serverless capacity goes with instance class db.serverless, and only with it (got instanceClass "${settings.instanceClass}", serverless ${JSON.stringify(settings.serverless)})`);
    }
    this.cluster = new RdsCluster(this, "Default", {
      clusterIdentifier: identifier,
      engine: "aurora-postgresql",
      engineMode: "provisioned",
      engineVersion: settings.version,
      allowMajorVersionUpgrade: true,
      // Never enrolled in paid Extended Support by default (RDS's default enrols).
      engineLifecycleSupport: engineLifecycleSupport(settings),
      databaseName: settings.databaseName,
      masterUsername: settings.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      port: 5432,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbSubnetGroupName: props.subnetGroupName,
      vpcSecurityGroupIds: [props.securityGroupId],
      dbClusterParameterGroupName: parameters.name,
      backupRetentionPeriod: settings.backupRetentionDays,
      preferredBackupWindow: settings.backupWindow,
      preferredMaintenanceWindow: settings.maintenanceWindow,
      deletionProtection: settings.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      enabledCloudwatchLogsExports: [...AURORA_LOG_EXPORTS],
      serverlessv2ScalingConfiguration: settings.serverless,
      dependsOn: [...props.logGroups],
    });
    if (props.availabilityZones.length < 2) throw new Error(`${this.node.path}: availabilityZones must list at least 2 zones (got ${JSON.stringify(props.availabilityZones)})`);
    const instances: Record<string, RdsClusterInstance> = {};
    for (let n = 1; n <= settings.readers + 1; n++) {
      instances[String(n)] = new RdsClusterInstance(this, `instance-${n}`, {
        identifier: `${identifier}-${n}`,
        clusterIdentifier: this.cluster.id,
        engine: "aurora-postgresql",
        engineVersion: this.cluster.engineVersion,
        instanceClass: settings.instanceClass,
        availabilityZone: props.availabilityZones[(n - 1) % props.availabilityZones.length],
        dbSubnetGroupName: props.subnetGroupName,
        copyTagsToSnapshot: true,
        // Instance 1 starts as the writer and, as tier 0, is the first to take the role back after a failover.
        promotionTier: n === 1 ? 0 : 1,
        ...props.common,
      });
    }
    this.instances = instances;
    this.endpoint = this.cluster.endpoint;
    this.readerEndpoint = this.cluster.readerEndpoint;
    this.resourceId = this.cluster.clusterResourceId;
    this.arn = this.cluster.arn;
    this.masterSecretArn = this.cluster.masterUserSecret.get(0).secretArn;
  }
}
