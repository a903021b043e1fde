import { type TerraformStack } from "cdktf";
import { type BackendSettings } from "../../config";
import { type ContractValues, StackContract } from "./contract";

/** The outputs `<env>-database` publishes: how the application reaches its database. */
export const DATABASE_CONTRACT = new StackContract("database", {
  engine: { kind: "string", description: "postgres (RDS) or aurora-postgresql (Aurora)", mock: "postgres" },
  endpoint: { kind: "string", description: "Host name of the writer", mock: "mock.0123456789ab.{region}.rds.amazonaws.com" },
  reader_endpoint: { kind: "string", description: "Host name of the readers (Aurora); the writer's on RDS", mock: "mock-ro.0123456789ab.{region}.rds.amazonaws.com" },
  port: { kind: "string", description: "PostgreSQL port", mock: "5432" },
  database_name: { kind: "string", description: "The application's database", mock: "app" },
  resource_id: { kind: "string", description: "Resource id of the instance (db-…) or Aurora cluster (cluster-…): what rds-db:connect grants name", mock: "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ" },
  master_secret_arn: { kind: "string", description: "ARN of the master user's RDS-managed secret: for administrators, never granted to applications", mock: "arn:aws:secretsmanager:{region}:{account}:secret:rds!db-mock-AbCdEf" },
  security_group_id: { kind: "string", description: "The database's security group", mock: "sg-0123456789abcdef3" },
});

/** How the application reaches its database. */
export type DatabaseOutputs = ContractValues<typeof DATABASE_CONTRACT.outputs>;

/** The database of an environment, read from its database stack's state. */
export function databaseFromRemoteState(stack: TerraformStack, backend: BackendSettings, env: { readonly name: string }): DatabaseOutputs {
  return DATABASE_CONTRACT.read(stack, backend, env);
}
