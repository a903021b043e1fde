import { type Construct } from "constructs";
import { alertTopicArn, backupEnabled, type DatabaseConfig, databaseUsers } from "../config";
import { DatabaseAlarms } from "../modules/alarms/database-alarms";
import { AuroraCluster } from "../modules/database/aurora-cluster";
import { DatabaseBackup } from "../modules/database/backup";
import { DatabaseBootstrap } from "../modules/database/bootstrap";
import { Database } from "../modules/database/database";
import { awsProvider } from "./aws-provider";
import { DATABASE_CONTRACT } from "./contracts/database";
import { eksFromRemoteState, podSecurityGroupKey } from "./contracts/eks";
import { networkFromRemoteState } from "./contracts/network";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";
import { runbookBaseUrl } from "./runbooks";
import { serviceGrantee } from "./service-grantee";

/**
 * `<env>-database`: the application's PostgreSQL, its users (made at apply by the bootstrap
 * function, one per service), and each service's grant to connect as its own user. The grants
 * live here, beside the database (an inline policy of this stack on each service's role, which
 * `<env>-iam` owns): so `<env>-iam` never reads this stack, the order stays acyclic, and an
 * environment without a database has no grant at all.
 */
export class DatabaseStack extends EnvironmentStack {
  /** The database. */
  readonly database: Database;
  /** The function that makes its users. */
  readonly bootstrap: DatabaseBootstrap;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "database", props);
    const { env } = props;
    const config = env.database as DatabaseConfig;
    const network = networkFromRemoteState(this, props.backend, env);
    const eks = eksFromRemoteState(this, props.backend, env);
    const { reasons: _reasons, users: _users, backup, ...settings } = config;
    const users = databaseUsers(env);

    this.database = new Database(this, "postgres", {
      ...settings,
      identifier: `${env.name}-postgres`,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds.data,
      availabilityZones: network.availabilityZones,
      // The pods of its services with a user, each by its own group (read from the cluster host's
      // state: a key it lacks fails the plan), never the node group every pod of the cluster shares.
      clientSecurityGroupIds: Object.fromEntries(users.map((u) => [u.service, eks.pod_security_groups.get(podSecurityGroupKey(env, u.service))])),
      transitionNodeSecurityGroupId: env.eks.nodesReachDataStores ? eks.node_security_group_id : undefined,
      accountId: env.account.id,
      region: env.account.region,
      permissionsBoundaryArn: network.permissionsBoundaryArn,
    });
    if (backupEnabled(env)) {
      const copyTo = backup.copyTo && {
        ...backup.copyTo,
        // A provider of the copy's region, for its vault and key: the same account and identity.
        provider: awsProvider(this, { alias: "backup-copy", region: backup.copyTo.region, accountId: env.account.id, localRoleArn: env.account.deployRoleArn, tags: this.defaultTags }),
      };
      new DatabaseBackup(this, "backup", {
        identifier: `${env.name}-postgres`,
        resourceArn: this.database.arn,
        accountId: env.account.id,
        region: env.account.region,
        permissionsBoundaryArn: network.permissionsBoundaryArn,
        schedule: backup.schedule,
        dailyRetentionDays: backup.dailyRetentionDays,
        continuousRetentionDays: backup.continuous ? config.backupRetentionDays : undefined,
        vaultLock: backup.vaultLock,
        copyTo,
      });
    }
    this.bootstrap = new DatabaseBootstrap(this, "bootstrap", {
      identifier: `${env.name}-postgres`,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds.data,
      databaseSecurityGroupId: this.database.securityGroup.id,
      endpointSecurityGroupId: network.endpointSecurityGroupId,
      host: this.database.endpoint,
      port: this.database.port,
      database: config.databaseName,
      users,
      masterSecretArn: this.database.masterSecretArn,
      masterSecretKeyArn: this.database.key.arn,
      databaseReady: this.database.ready,
      accountId: env.account.id,
      region: env.account.region,
      permissionsBoundaryArn: network.permissionsBoundaryArn,
      logRetentionDays: config.logRetentionDays,
    });
    for (const user of users) this.database.grantConnect(serviceGrantee(this, user.service), user.name);

    // Its alarms, on exactly its instances (and Aurora's cluster), notifying the alert topic.
    const engine = this.database.engine;
    new DatabaseAlarms(this, "alarms", {
      identifier: `${env.name}-postgres`,
      instances: engine instanceof AuroraCluster ? Object.fromEntries(Object.entries(engine.instances).map(([key, i]) => [key, i.identifier])) : { instance: engine.instance.identifier },
      cluster: engine instanceof AuroraCluster ? { identifier: engine.cluster.clusterIdentifier, readers: (config.readers ?? 0) > 0 } : undefined,
      instanceClass: config.instanceClass,
      serverlessMaxCapacity: config.serverless?.maxCapacity,
      thresholds: env.observability.alarms.database,
      topicArn: alertTopicArn(env),
      runbookBaseUrl: runbookBaseUrl(props.project),
    });

    DATABASE_CONTRACT.publish(this, {
      engine: config.engine,
      endpoint: this.database.endpoint,
      reader_endpoint: this.database.readerEndpoint,
      port: String(this.database.port),
      database_name: config.databaseName,
      resource_id: this.database.resourceId,
      master_secret_arn: this.database.masterSecretArn,
      security_group_id: this.database.securityGroup.id,
    });
  }
}
