import { type DatabaseEngine, type PostgresVersion } from "./engines";

/** What a database is: engine, size, backups and maintenance. Config's `database` section has this shape. */
export interface DatabaseSettings {
  /** RDS (`postgres`) or Aurora (`aurora-postgresql`). Changing it replaces the database. */
  readonly engine: DatabaseEngine;
  /** PostgreSQL major version. */
  readonly version: PostgresVersion;
  /** Instance class (`db.serverless` for Aurora Serverless v2). */
  readonly instanceClass: string;
  /**
   * Aurora Serverless v2 capacity, with instance class `db.serverless`.
   * @default - none (provisioned instances)
   */
  readonly serverless?: { readonly minCapacity: number; readonly maxCapacity: number };
  /**
   * Aurora: reader instances besides the writer.
   * @default 0
   */
  readonly readers?: number;
  /**
   * RDS: a synchronous standby in another zone.
   * @default false
   */
  readonly multiAz?: boolean;
  /**
   * RDS: initial gp3 storage, GiB.
   * @default 20
   */
  readonly allocatedStorageGiB?: number;
  /**
   * RDS: storage autoscaling's ceiling, GiB.
   * @default 100
   */
  readonly maxAllocatedStorageGiB?: number;
  /** The database created with the instance or cluster. */
  readonly databaseName: string;
  /** The master user; its password is RDS-managed in Secrets Manager. */
  readonly masterUsername: string;
  /**
   * Days of automated backups, 7–35.
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Daily backup window, UTC.
   * @default "02:00-03:00"
   */
  readonly backupWindow?: string;
  /**
   * Weekly maintenance window, UTC.
   * @default "sun:03:30-sun:04:30"
   */
  readonly maintenanceWindow?: string;
  /**
   * Refuse deletion through the API.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Days between rotations of the master password.
   * @default 30
   */
  readonly masterPasswordRotationDays?: number;
  /**
   * `log_min_duration_statement` in ms; -1 turns it off.
   * @default 1000
   */
  readonly logMinDurationMs?: number;
  /**
   * The statement classes pgaudit logs (`pgaudit.log`), exported with the PostgreSQL log.
   * @default ["ddl", "role"]
   */
  readonly auditLog?: readonly AuditClass[];
  /**
   * The CA of the server certificate.
   * @default "rds-ca-rsa2048-g1"
   */
  readonly caCertIdentifier?: string;
  /**
   * Performance Insights retention, days.
   * @default 7
   */
  readonly performanceInsightsRetentionDays?: number;
  /**
   * Enhanced monitoring interval, seconds.
   * @default 60
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * Retention of the exported PostgreSQL logs, days.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Enrol in paid RDS Extended Support when the major version leaves standard support. Off, RDS
   * upgrades the database to the next major version in a maintenance window after that date
   * instead of billing per vCPU-hour; RDS's own default is on, which enrols silently.
   * @default false
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html
   */
  readonly extendedSupport?: boolean;
}

/** RDS's values of `engine_lifecycle_support` (DB instances and Aurora clusters alike). */
export const ENGINE_LIFECYCLE_SUPPORT = { on: "open-source-rds-extended-support", off: "open-source-rds-extended-support-disabled" } as const;

/** The `engine_lifecycle_support` of settings. */
export function engineLifecycleSupport(settings: Pick<DatabaseSettings, "extendedSupport">): string {
  return settings.extendedSupport ? ENGINE_LIFECYCLE_SUPPORT.on : ENGINE_LIFECYCLE_SUPPORT.off;
}

/** Settings with every default applied. */
export type ResolvedDatabaseSettings = Required<Omit<DatabaseSettings, "serverless">> & Pick<DatabaseSettings, "serverless">;

/** Applies the defaults (aws-cdk's: protected, backed up, monitored). */
export function withDefaults(settings: DatabaseSettings): ResolvedDatabaseSettings {
  return {
    readers: 0,
    multiAz: false,
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 100,
    backupRetentionDays: 7,
    backupWindow: "02:00-03:00",
    maintenanceWindow: "sun:03:30-sun:04:30",
    deletionProtection: true,
    masterPasswordRotationDays: 30,
    logMinDurationMs: 1000,
    auditLog: ["ddl", "role"],
    caCertIdentifier: "rds-ca-rsa2048-g1",
    performanceInsightsRetentionDays: 7,
    monitoringIntervalSeconds: 60,
    logRetentionDays: 90,
    extendedSupport: false,
    ...settings,
  };
}

/** The classes of statement pgaudit can log (`pgaudit.log`); `all` is not among them on purpose. */
export const AUDIT_CLASSES = ["ddl", "role", "write", "read", "function", "misc", "misc_set"] as const;
export type AuditClass = (typeof AUDIT_CLASSES)[number];

/** What the parameter group logs. */
export interface LoggingSettings {
  /** `log_min_duration_statement`, ms. */
  readonly logMinDurationMs: number;
  /** `pgaudit.log`: the classes audited. */
  readonly auditLog: readonly AuditClass[];
}

/**
 * The PostgreSQL parameters every database gets: TLS only, every connection logged, slow
 * statements logged, and pgaudit's session audit log of the configured classes (DDL and role
 * changes by default; writes too in production). Never `log_statement = all`, which logs every
 * statement with its values; pgaudit logs the statement, and `pgaudit.log_parameter` stays off so
 * bound values are not. `shared_preload_libraries` is static: RDS applies it at creation, or at
 * the next reboot of an existing database (docs/how-to.md, "Audit the database"); the rest
 * applies at once. pg_stat_statements stays loaded beside pgaudit, as RDS's default has it.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.pgaudit.html
 */
export function postgresParameters(logging: LoggingSettings) {
  return [
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    { name: "log_connections", value: "1", applyMethod: "immediate" },
    { name: "log_disconnections", value: "1", applyMethod: "immediate" },
    { name: "log_min_duration_statement", value: String(logging.logMinDurationMs), applyMethod: "immediate" },
    { name: "shared_preload_libraries", value: "pg_stat_statements,pgaudit", applyMethod: "pending-reboot" },
    { name: "pgaudit.log", value: logging.auditLog.length ? logging.auditLog.join(",") : "none", applyMethod: "immediate" },
    { name: "pgaudit.log_parameter", value: "0", applyMethod: "immediate" },
  ];
}

/**
 * The parameter group of a database, RDS or Aurora: the family is in the name, so a major
 * upgrade creates the new group before the old one goes (create-before-destroy).
 */
export function parameterGroupProps(identifier: string, family: string, logging: LoggingSettings) {
  return {
    name: `${identifier}-${family}`,
    family,
    description: `TLS only, connection, slow-statement and pgaudit logging (${identifier})`,
    parameter: postgresParameters(logging),
    lifecycle: { createBeforeDestroy: true },
  };
}

/** What every instance of a database shares, RDS or Aurora: no public address, monitoring, patching. */
export interface InstanceCommon {
  readonly publiclyAccessible: false;
  readonly autoMinorVersionUpgrade: true;
  readonly caCertIdentifier: string;
  readonly performanceInsightsEnabled: true;
  readonly performanceInsightsKmsKeyId: string;
  readonly performanceInsightsRetentionPeriod: number;
  readonly monitoringInterval: number;
  readonly monitoringRoleArn: string;
}

/** The resources an engine (RDS instance or Aurora cluster) gives the database. */
export interface EngineOutputs {
  /** Host name of the writer. */
  readonly endpoint: string;
  /** Host name of the readers (the writer's for RDS, which has none). */
  readonly readerEndpoint: string;
  /** The resource id IAM authentication names (`db-…` or `cluster-…`). */
  readonly resourceId: string;
  /** ARN of the RDS-managed master secret. */
  readonly masterSecretArn: string;
  /** ARN of the instance or cluster (what AWS Backup selects). */
  readonly arn: string;
}
