import { type Construct } from "constructs";
import { type DatabaseConfig } from "../config";
import { Database } from "../modules/database/database";
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
    const { reasons: _reasons, appUser, ...settings } = config;

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
