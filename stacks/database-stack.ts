import { type Construct } from "constructs";
import { backupEnabled, type DatabaseConfig } from "../config";
import { DatabaseBackup } from "../modules/database/backup";
import { Database } from "../modules/database/database";
import { awsProvider } from "./aws-provider";
import { DATABASE_CONTRACT } from "./contracts/database";
import { eksFromRemoteState } from "./contracts/eks";
import { networkFromRemoteState } from "./contracts/network";
import { appRoleGrantee } from "./app-grantee";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/**
 * `<env>-database`: the application's PostgreSQL, and its grant to connect. The grant lives here,
 * beside the database (an inline policy of this stack on the app role, which `<env>-iam` owns):
 * so `<env>-iam` never reads this stack, the order stays acyclic, and an environment without a
 * database has no grant at all.
 */
export class DatabaseStack extends EnvironmentStack {
  /** The database. */
  readonly database: Database;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "database", props);
    const { env } = props;
    const config = env.database as DatabaseConfig;
    const network = networkFromRemoteState(this, props.backend, env);
    const eks = eksFromRemoteState(this, props.backend, env);
    const { reasons: _reasons, appUser, backup, ...settings } = config;

    this.database = new Database(this, "postgres", {
      ...settings,
      identifier: `${env.name}-postgres`,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds.data,
      availabilityZones: network.availabilityZones,
      clientSecurityGroupId: eks.node_security_group_id,
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
    const app = appRoleGrantee(this, props);
    this.database.grantConnect(app, appUser);

    DATABASE_CONTRACT.publish(this, {
      engine: config.engine,
      endpoint: this.database.endpoint,
      reader_endpoint: this.database.readerEndpoint,
      port: String(this.database.port),
      database_name: config.databaseName,
      app_user: appUser,
      resource_id: this.database.resourceId,
      master_secret_arn: this.database.masterSecretArn,
      security_group_id: this.database.securityGroup.id,
    });
  }
}
