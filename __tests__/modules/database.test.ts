import { type Construct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabaseBackup } from "../../modules/database/backup";
import { Database, type DatabaseProps } from "../../modules/database/database";
import { Role } from "../../modules/iam/role";
import { RoleReference } from "../../modules/iam/role-reference";
import { policyStatements, resourcesOf, synthScope, type SynthesizedStack } from "../helpers";

const base: DatabaseProps = {
  identifier: "test-postgres",
  engine: "postgres",
  version: "17",
  instanceClass: "db.m7g.large",
  databaseName: "app",
  masterUsername: "platform_admin",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  clientSecurityGroupIds: { orders: "sg-orders", billing: "sg-billing" },
  accountId: "123456789012",
  region: "eu-west-1",
  permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/boundary",
};
const aurora: DatabaseProps = { ...base, engine: "aurora-postgresql", instanceClass: "db.r7g.large", readers: 2 };
const synth = (props: DatabaseProps, grant?: (db: Database, scope: Construct) => void) =>
  synthScope((scope) => {
    const db = new Database(scope, "postgres", props);
    grant?.(db, scope);
  });

describe("Database on RDS", () => {
  const text = synth({ ...base, multiAz: true });
  const json = JSON.parse(text) as SynthesizedStack;

  it("is private, encrypted with its own key, TLS-only, IAM-authenticated, and keeps its password out of Terraform", () => {
    expect(text).toHaveResourceWithProperties(DbInstance, {
      identifier: "test-postgres",
      engine: "postgres",
      engine_version: "17",
      multi_az: true,
      publicly_accessible: false,
      storage_type: "gp3",
      storage_encrypted: true,
      kms_key_id: "${aws_kms_key.postgres_key.arn}",
      manage_master_user_password: true,
      master_user_secret_kms_key_id: "${aws_kms_key.postgres_key.arn}",
      iam_database_authentication_enabled: true,
      ca_cert_identifier: "rds-ca-rsa2048-g1",
      auto_minor_version_upgrade: true,
    });
    const instance = resourcesOf(json, "aws_db_instance")[0]!;
    expect(Object.keys(instance).filter((k) => /password/.test(k))).toEqual(["manage_master_user_password"]);
  });

  it("is hard to lose: deletion protection, a final snapshot with a fixed name, backups kept after deletion", () => {
    expect(text).toHaveResourceWithProperties(DbInstance, {
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "test-postgres-final",
      copy_tags_to_snapshot: true,
      delete_automated_backups: false,
      backup_retention_period: 7,
      backup_window: "02:00-03:00",
      maintenance_window: "sun:03:30-sun:04:30",
      allocated_storage: 20,
      max_allocated_storage: 100,
    });
  });

  it("is monitored: Performance Insights with the key, enhanced monitoring with its role, logs into encrypted groups made first", () => {
    expect(text).toHaveResourceWithProperties(DbInstance, {
      performance_insights_enabled: true,
      performance_insights_kms_key_id: "${aws_kms_key.postgres_key.arn}",
      monitoring_interval: 60,
      monitoring_role_arn: "${aws_iam_role.postgres_monitoring-role.arn}",
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      depends_on: ["aws_cloudwatch_log_group.postgres_logs-postgresql", "aws_cloudwatch_log_group.postgres_logs-upgrade"],
    });
    expect(resourcesOf(json, "aws_cloudwatch_log_group").map((g) => [g.name, g.retention_in_days, g.kms_key_id])).toEqual([
      ["/aws/rds/instance/test-postgres/postgresql", 90, "${aws_kms_key.postgres_key.arn}"],
      ["/aws/rds/instance/test-postgres/upgrade", 90, "${aws_kms_key.postgres_key.arn}"],
    ]);
    const trust = policyStatements(json, resourcesOf(json, "aws_iam_role")[0]!.assume_role_policy);
    expect(trust).toEqual([expect.objectContaining({ Principal: { Service: ["monitoring.rds.amazonaws.com"] } })]);
  });

  it("forces TLS, logs connections and slow statements, and audits DDL and role changes with pgaudit, in a group named for its family and replaced create-before-destroy", () => {
    expect(text).toHaveResourceWithProperties(DbParameterGroup, {
      name: "test-postgres-postgres17",
      family: "postgres17",
      lifecycle: { create_before_destroy: true },
      parameter: [
        { name: "rds.force_ssl", value: "1", apply_method: "immediate" },
        { name: "log_connections", value: "1", apply_method: "immediate" },
        { name: "log_disconnections", value: "1", apply_method: "immediate" },
        { name: "log_min_duration_statement", value: "1000", apply_method: "immediate" },
        // Static: applied at creation, or at the next reboot of an existing database.
        { name: "shared_preload_libraries", value: "pg_stat_statements,pgaudit", apply_method: "pending-reboot" },
        { name: "pgaudit.log", value: "ddl,role", apply_method: "immediate" },
        { name: "pgaudit.log_parameter", value: "0", apply_method: "immediate" },
      ],
    });
    // Never log_statement = all: it would write every statement's values, secrets included.
    expect(JSON.stringify(resourcesOf(json, "aws_db_parameter_group"))).not.toContain("log_statement\"");
    expect(synth({ ...base, auditLog: ["ddl", "role", "write"] })).toHaveResourceWithProperties(DbParameterGroup, { parameter: expect.arrayContaining([{ name: "pgaudit.log", value: "ddl,role,write", apply_method: "immediate" }]) });
  });

  it("admits PostgreSQL from each client's security group only, a rule each keyed by client: no CIDR, no egress", () => {
    expect(Object.keys(json.resource.aws_vpc_security_group_ingress_rule ?? {})).toEqual(["postgres_from-billing-pods", "postgres_from-orders-pods"]);
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({ referenced_security_group_id: "sg-billing", ip_protocol: "tcp", from_port: 5432, to_port: 5432 }),
      expect.objectContaining({ referenced_security_group_id: "sg-orders", ip_protocol: "tcp", from_port: 5432, to_port: 5432 }),
    ]);
    expect(JSON.stringify(json.resource.aws_vpc_security_group_ingress_rule)).not.toMatch(/cidr/);
    expect(resourcesOf(json, "aws_security_group")[0]).toMatchObject({ egress: [] });
    expect(resourcesOf(json, "aws_security_group")[0]?.ingress).toBeUndefined();
  });

  it("rotates the master password on the configured schedule", () => {
    expect(synth({ ...base, masterPasswordRotationDays: 14 })).toHaveResourceWithProperties(SecretsmanagerSecretRotation, {
      secret_id: "${aws_db_instance.postgres_instance.master_user_secret[0].secret_arn}",
      rotation_rules: { schedule_expression: "rate(14 days)" },
    });
  });
});

describe("Database on Aurora", () => {
  const text = synth(aurora);
  const json = JSON.parse(text) as SynthesizedStack;

  it("makes a cluster with the same protections, and a writer plus readers spread over the zones", () => {
    expect(text).toHaveResourceWithProperties(RdsCluster, {
      cluster_identifier: "test-postgres",
      engine: "aurora-postgresql",
      engine_version: "17",
      storage_encrypted: true,
      manage_master_user_password: true,
      iam_database_authentication_enabled: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "test-postgres-final",
      copy_tags_to_snapshot: true,
      db_cluster_parameter_group_name: "${aws_rds_cluster_parameter_group.postgres_cluster_parameters.name}",
      enabled_cloudwatch_logs_exports: ["postgresql"],
    });
    expect(text).toHaveResourceWithProperties(RdsClusterParameterGroup, { family: "aurora-postgresql17", lifecycle: { create_before_destroy: true } });
    expect(resourcesOf(json, "aws_rds_cluster_instance").map((i) => [i.identifier, i.availability_zone, i.promotion_tier])).toEqual([
      ["test-postgres-1", "eu-west-1a", 0],
      ["test-postgres-2", "eu-west-1b", 1],
      ["test-postgres-3", "eu-west-1a", 1],
    ]);
    expect(text).toHaveResourceWithProperties(RdsClusterInstance, { publicly_accessible: false, performance_insights_enabled: true, monitoring_interval: 60, ca_cert_identifier: "rds-ca-rsa2048-g1" });
  });

  it("sizes Serverless v2 instances by capacity", () => {
    const serverless = synth({ ...aurora, readers: 1, instanceClass: "db.serverless", serverless: { minCapacity: 0.5, maxCapacity: 8 } });
    expect(serverless).toHaveResourceWithProperties(RdsCluster, { serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 8 } });
    expect(serverless).toHaveResourceWithProperties(RdsClusterInstance, { instance_class: "db.serverless" });
  });
});

describe("RDS Extended Support", () => {
  // engine_lifecycle_support: RDS's own default enrols a database whose major version leaves
  // standard support in paid Extended Support (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html).
  it.each([
    ["RDS", base, DbInstance],
    ["Aurora", aurora, RdsCluster],
  ] as const)("is off by default on %s, and on only when asked", (_engine, props, resource) => {
    expect(synth(props)).toHaveResourceWithProperties(resource, { engine_lifecycle_support: "open-source-rds-extended-support-disabled" });
    expect(synth({ ...props, extendedSupport: true })).toHaveResourceWithProperties(resource, { engine_lifecycle_support: "open-source-rds-extended-support" });
  });
});

describe("Database.grantConnect", () => {
  const grant = (props: DatabaseProps, user = "app") =>
    JSON.parse(
      synth(props, (db, scope) => {
        const role = new RoleReference(scope, "app-role", { roleName: "test-app", policyName: "test-app-database" });
        db.grantConnect(role, user);
      }),
    ) as SynthesizedStack;

  it("allows rds-db:connect as one user of this instance, and nothing else", () => {
    const json = grant(base);
    const [policy] = resourcesOf(json, "aws_iam_role_policy");
    expect(policy).toMatchObject({ name: "test-app-database", role: "test-app" });
    expect(policyStatements(json, policy!.policy)).toEqual([
      { Sid: "ConnectTestPostgresAsApp", Effect: "Allow", Action: ["rds-db:connect"], Resource: ["arn:aws:rds-db:eu-west-1:123456789012:dbuser:${aws_db_instance.postgres_instance.resource_id}/app"] },
    ]);
  });

  it("names the cluster's resource id on Aurora", () => {
    const json = grant(aurora);
    expect(policyStatements(json, resourcesOf(json, "aws_iam_role_policy")[0]!.policy)[0]?.Resource).toEqual([
      "arn:aws:rds-db:eu-west-1:123456789012:dbuser:${aws_rds_cluster.postgres_cluster.cluster_resource_id}/app",
    ]);
  });

  it("adds to a role of the same stack as well", () => {
    const json = JSON.parse(
      synth(base, (db, scope) => db.grantConnect(new Role(scope, "role", { name: "r", description: "d", trust: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }], permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/b" }), "reporting")),
    ) as SynthesizedStack;
    expect(policyStatements(json, resourcesOf(json, "aws_iam_role_policy")[0]!.policy)[0]?.Resource).toEqual(["arn:aws:rds-db:eu-west-1:123456789012:dbuser:${aws_db_instance.postgres_instance.resource_id}/reporting"]);
  });

  it("refuses the master user and a name that is not a PostgreSQL role", () => {
    expect(() => grant(base, "platform_admin")).toThrow('test/postgres: grantConnect to test/app-role: "platform_admin" is the master user, which no application may use; grant a user of its own');
    expect(() => grant(base, "app*")).toThrow('test/postgres: grantConnect to test/app-role: "app*" is not a PostgreSQL role name (lowercase letters, digits and _, starting with a letter)');
  });
});

describe("Database props", () => {
  it.each([
    [{ instanceClass: "db.serverless" }, 'instanceClass "db.serverless" db.serverless is Aurora Serverless v2'],
    [{ backupRetentionDays: 1 }, "backupRetentionDays must be 7–35 (got 1)"],
    [{ logRetentionDays: 8 }, "retention of 8 days is not one CloudWatch Logs accepts"],
  ])("refuses %j, saying why", (override, message) => {
    expect(() => synth({ ...base, ...(override as Partial<DatabaseProps>) })).toThrow(`test/postgres`);
    expect(() => synth({ ...base, ...(override as Partial<DatabaseProps>) })).toThrow(message);
  });

  it("refuses Serverless capacity without db.serverless, and Aurora in one zone", () => {
    expect(() => synth({ ...aurora, serverless: { minCapacity: 1, maxCapacity: 2 } })).toThrow("test/postgres/cluster: serverless capacity goes with instance class db.serverless, and only with it");
    expect(() => synth({ ...aurora, availabilityZones: ["eu-west-1a"] })).toThrow('test/postgres/cluster: availabilityZones must list at least 2 zones (got ["eu-west-1a"])');
  });
});

describe("DatabaseBackup", () => {
  const json = JSON.parse(
    synthScope((scope) => {
      const copy = new AwsProvider(scope, "copy", { region: "eu-central-1", alias: "copy" });
      new DatabaseBackup(scope, "backup", {
        identifier: "prod-postgres",
        resourceArn: "arn:aws:rds:eu-west-1:123456789012:cluster:prod-postgres",
        accountId: "123456789012",
        region: "eu-west-1",
        permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/boundaries/b",
        schedule: "cron(0 3 * * ? *)",
        dailyRetentionDays: 35,
        continuousRetentionDays: 35,
        vaultLock: { minRetentionDays: 7, maxRetentionDays: 400, changeableForDays: 3 },
        copyTo: { region: "eu-central-1", provider: copy, retentionDays: 35, accountVaultArn: "arn:aws:backup:eu-central-1:444444444444:backup-vault:dr" },
      });
    }),
  ) as SynthesizedStack;

  it("keeps recovery points in a vault of their own key per region, locked in compliance mode, deletes denied", () => {
    const vaults = resourcesOf(json, "aws_backup_vault");
    expect(vaults).toHaveLength(2);
    expect(vaults).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: "prod-postgres-backups", kms_key_arn: "${aws_kms_key.backup_vault-key.arn}", force_destroy: false }),
      expect.objectContaining({ name: "prod-postgres-backups", kms_key_arn: "${aws_kms_key.backup_copy-vault-key.arn}", provider: "aws.copy" }),
    ]));
    expect(resourcesOf(json, "aws_backup_vault_lock_configuration")).toHaveLength(2);
    expect(resourcesOf(json, "aws_backup_vault_lock_configuration")).toEqual(expect.arrayContaining([
      expect.objectContaining({ min_retention_days: 7, max_retention_days: 400, changeable_for_days: 3 }),
      expect.objectContaining({ min_retention_days: 7, max_retention_days: 400, changeable_for_days: 3, provider: "aws.copy" }),
    ]));
    const deny = policyStatements(json, resourcesOf(json, "aws_backup_vault_policy")[0]!.policy)[0];
    expect(deny).toMatchObject({ Effect: "Deny", Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"] });
  });

  it("backs up daily and continuously, copies the daily points to the other region and account, and selects the database by ARN", () => {
    const plan = resourcesOf(json, "aws_backup_plan")[0]!;
    expect(plan.rule).toEqual([
      expect.objectContaining({
        rule_name: "daily",
        lifecycle: { delete_after: 35 },
        copy_action: [
          { destination_vault_arn: "${aws_backup_vault.backup_copy-vault.arn}", lifecycle: { delete_after: 35 } },
          { destination_vault_arn: "arn:aws:backup:eu-central-1:444444444444:backup-vault:dr", lifecycle: { delete_after: 35 } },
        ],
      }),
      expect.objectContaining({ rule_name: "continuous", enable_continuous_backup: true, lifecycle: { delete_after: 35 } }),
    ]);
    expect(resourcesOf(json, "aws_backup_selection")[0]).toMatchObject({ resources: ["arn:aws:rds:eu-west-1:123456789012:cluster:prod-postgres"], iam_role_arn: "${aws_iam_role.backup_role.arn}" });
    expect(resourcesOf(json, "aws_iam_role_policy_attachment").map((a) => a.policy_arn).sort()).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
  });

  it("refuses continuous backups kept over 35 days, which AWS Backup cannot", () => {
    expect(() =>
      synthScope((scope) => new DatabaseBackup(scope, "backup", { identifier: "x", resourceArn: "arn", accountId: "123456789012", region: "eu-west-1", permissionsBoundaryArn: "b", schedule: "cron(0 3 * * ? *)", dailyRetentionDays: 35, continuousRetentionDays: 40 })),
    ).toThrow("continuous backups are kept 1–35 days (got 40)");
  });
});
