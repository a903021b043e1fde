import { z } from "zod";
import { DATABASE_ENGINES, DEFAULT_POSTGRES_VERSION, POSTGRES_VERSIONS } from "../modules/database/engines";
import { AUDIT_CLASSES } from "../modules/database/settings";
import { LOG_RETENTION_DAYS } from "../modules/logs/retention";
import { DEFAULT_KAFKA_VERSION, KAFKA_VERSIONS, MAX_BROKER_ZONES } from "../modules/streaming/kafka-versions";
import { REGIONS } from "./regions";
import { nonEmpty, strict } from "./strict";

/**
 * The data layers of an environment file: `database` (PostgreSQL on RDS or Aurora) and
 * `streaming` (Kafka on MSK). Either section may be left out, and the environment then has no
 * such layer (no stack, no app settings, no grant). Cross-field checks live in `data-checks.ts`.
 */

const sqlName = (what: string) => z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, `must be a PostgreSQL ${what}: lowercase letters, digits and _, starting with a letter, at most 63 characters`);

/** `hh:mm-hh:mm`, UTC. */
const dailyWindow = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "must be a UTC window hh:mm-hh:mm such as 02:00-03:00");
/** `ddd:hh:mm-ddd:hh:mm`, UTC. */
const weeklyWindow = z
  .string()
  .regex(/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/, "must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:03:30-sun:04:30");

export const databaseSchema = strict({
    engine: z.enum(DATABASE_ENGINES).default("postgres").describe("`postgres`: RDS, one instance (Multi-AZ optional). `aurora-postgresql`: an Aurora cluster, a writer plus readers, or Serverless v2. Changing it replaces the database."),
    version: z.enum(POSTGRES_VERSIONS).default(DEFAULT_POSTGRES_VERSION).describe("PostgreSQL major version (modules/database/engines.ts lists them); minor versions are upgraded automatically in the maintenance window."),
    instanceClass: z
      .string()
      .regex(/^db\.[a-z0-9]+(\.[a-z0-9]+)?$/, "must be a DB instance class such as db.m7g.large (or db.serverless for Aurora Serverless v2)")
      .describe("Instance class: db.<family>.<size> for RDS; an Aurora class, or db.serverless (Serverless v2, sized by serverless), for Aurora."),
    serverless: strict({
        minCapacity: z.number().describe("Fewest Aurora capacity units (ACU) in multiples of 0.5; 0 lets an idle cluster pause."),
        maxCapacity: z.number().describe("Most ACUs, up to 256."),
      })
      .optional()
      .describe("Aurora Serverless v2 capacity, for instanceClass db.serverless only."),
    readers: z.int().min(0).max(15).default(0).describe("Aurora only: reader instances besides the writer, in other zones; one is the failover target. Production needs at least one."),
    multiAz: z.boolean().default(false).describe("RDS only: a synchronous standby in another zone that takes over on failure. Required in production."),
    allocatedStorageGiB: z.int().min(20).max(65536).default(20).describe("RDS only: initial gp3 storage, GiB."),
    maxAllocatedStorageGiB: z.int().min(20).max(65536).default(100).describe("RDS only: storage autoscaling grows the volume up to this, GiB; at least allocatedStorageGiB."),
    databaseName: sqlName("database name").default("app").describe("The database created with the instance, which the application uses."),
    masterUsername: sqlName("role name").default("platform_admin").describe("The master user. Its password lives only in Secrets Manager (RDS-managed); applications never use it."),
    users: z
      .record(z.string(), sqlName("role name"))
      .optional()
      .describe(
        "The database users, by service: each logs in only with IAM authentication (rds-db:connect) as its service's role, owns a schema of its own name in databaseName, and may connect to nothing else. Created and revoked at apply by the database stack's bootstrap function. Default: one per service, named after it (app: app). Removing one revokes its login; its schema and data stay.",
      ),
    backupRetentionDays: z.int().min(7, "must be 7–35 days: shorter leaves nothing good to restore from when corruption is noticed late").max(35, "must be 7–35 days: RDS keeps automated backups for at most 35 days").default(7).describe("Days of automated backups (point-in-time restore), 7–35."),
    backupWindow: dailyWindow.default("02:00-03:00").describe("Daily backup window, UTC; must not overlap the maintenance window."),
    maintenanceWindow: weeklyWindow.default("sun:03:30-sun:04:30").describe("Weekly maintenance window, UTC (minor upgrades, patches)."),
    deletionProtection: z.boolean().default(true).describe("Refuse deleting the database through the API. Production without it needs reasons.deletionProtection."),
    masterPasswordRotationDays: z.int().min(1).max(365).default(30).describe("Secrets Manager rotates the master password every this many days."),
    logMinDurationMs: z.int().min(-1).max(3_600_000).default(1000).describe("log_min_duration_statement: statements slower than this (ms) are logged; -1 turns it off."),
    auditLog: z
      .array(z.enum(AUDIT_CLASSES))
      .default(["ddl", "role"])
      .describe("The statement classes pgaudit logs (pgaudit.log), into the exported PostgreSQL log: ddl and role by default; add write in production. Never log_statement = all, which logs every value. Production needs at least ddl and role."),
    caCertIdentifier: z.enum(["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"]).default("rds-ca-rsa2048-g1").describe("The CA that signs the server certificate clients verify (sslmode=verify-full)."),
    performanceInsightsRetentionDays: z
      .int()
      .refine((days) => days === 7 || (days % 31 === 0 && days <= 713) || days === 731, "must be 7, a multiple of 31 up to 713, or 731 (Performance Insights retention periods)")
      .default(7)
      .describe("Days Performance Insights keeps query statistics: 7 (free) or a multiple of 31 up to 731."),
    logRetentionDays: z.literal(LOG_RETENTION_DAYS).default(90).describe("Retention of the exported PostgreSQL logs, in days."),
    monitoringIntervalSeconds: z.union([1, 5, 10, 15, 30, 60].map((n) => z.literal(n)) as [z.ZodLiteral<number>, z.ZodLiteral<number>, ...z.ZodLiteral<number>[]]).default(60).describe("Enhanced monitoring interval: 1, 5, 10, 15, 30 or 60 seconds."),
    extendedSupport: z
      .boolean()
      .default(false)
      .describe(
        "Enrol in paid RDS Extended Support when the PostgreSQL major version leaves standard support (engine_lifecycle_support). Off (the default), RDS upgrades the major version after that date instead; on needs reasons.extendedSupport, printed at every synth.",
      ),
    backup: strict({
        enabled: z.boolean().optional().describe("Back the database up with AWS Backup. Default: on in production, off elsewhere; off in production needs reasons.backup."),
        schedule: z
          .string()
          .regex(/^cron\(.+\)$/, "must be an AWS Backup cron expression such as cron(0 3 * * ? *) (UTC)")
          .default("cron(0 3 * * ? *)")
          .describe("When the daily backup starts, UTC (AWS Backup's cron syntax)."),
        dailyRetentionDays: z.int().min(1).max(36500).default(35).describe("Days each daily recovery point is kept."),
        continuous: z
          .boolean()
          .default(true)
          .describe("Continuous backup for point-in-time recovery, managed by AWS Backup: its retention is the database's backupRetentionDays (RDS's own automated backups, which AWS Backup then manages)."),
        vaultLock: strict({
          minRetentionDays: z.int().min(1).describe("No recovery point can be kept shorter."),
          maxRetentionDays: z.int().min(1).describe("No recovery point can be kept longer."),
          changeableForDays: z
            .int()
            .min(3)
            .default(3)
            .describe("The cooling-off period: after it the lock is in compliance mode and can never be removed or changed, by anyone, the root user included."),
        })
          .optional()
          .describe("AWS Backup Vault Lock in compliance mode: recovery points cannot be deleted early, by anyone. Required in production. Irreversible after changeableForDays."),
        copyTo: strict({
          region: z.enum(REGIONS).describe("Another region: each daily recovery point is copied into a vault (and key) of this environment's account there."),
          retentionDays: z.int().min(1).max(36500).default(35).describe("Days the copies are kept."),
          accountVaultArn: z
            .string()
            .regex(/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[A-Za-z0-9_.-]{2,50}$/, "must be a backup vault ARN such as arn:aws:backup:eu-central-1:444444444444:backup-vault:dr")
            .optional()
            .describe("A vault of another account (a recovery or security account) that also receives each copy; its access policy must allow backup:CopyIntoBackupVault from this account, and the organization must allow cross-account backup."),
        })
          .optional()
          .describe("Copies that survive the loss of the region, and optionally of the account."),
      })
      .default({ schedule: "cron(0 3 * * ? *)", dailyRetentionDays: 35, continuous: true })
      .describe("AWS Backup of the database, beside RDS's own automated backups: a KMS-encrypted vault, daily and continuous backups, Vault Lock, copies to another region and account."),
    reasons: strict({
        multiAz: nonEmpty.optional().describe("Why this production database may run in one zone (RDS without multiAz, Aurora without a reader). Printed at every synth."),
        deletionProtection: nonEmpty.optional().describe("Why this production database may run without deletion protection. Printed at every synth."),
        extendedSupport: nonEmpty.optional().describe("Why this database may enrol in paid RDS Extended Support (extendedSupport: true). Printed at every synth."),
        backup: nonEmpty.optional().describe("Why this production database may run without AWS Backup (backup.enabled: false). Printed at every synth."),
      })
      .default({})
      .describe("Written reasons for running production with weaker protection; without them such config is refused."),
  })
  .describe("PostgreSQL for the application (`<env>-database`). Leave out for an environment without a database.");

/**
 * MSK takes two or three client subnets, in distinct zones, and spreads the brokers evenly over
 * them (docs.aws.amazon.com/msk/latest/developerguide/msk-create-cluster.html).
 */
const BROKER_ZONES_MESSAGE = `must be 2 or ${MAX_BROKER_ZONES}: MSK places brokers in two or three client subnets, each in its own zone`;

const groupPrefix = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "must be a consumer-group prefix: 1–100 letters, digits, . _ -");

/** One Kafka topic. Its name is the key in `streaming.topics`. */
const topicSchema = strict({
  partitions: z.int().min(1).max(1000).optional().describe("Partitions: the most consumers of one group that can read in parallel. Can grow, never shrink (Kafka). Default: defaultPartitions."),
  replicationFactor: z.int().min(1).optional().describe("Copies of each partition, on different brokers; at most the broker count. Changing it replaces the topic, which plan-guard refuses. Default: the cluster's replicationFactor."),
  minInsyncReplicas: z.int().min(1).optional().describe("min.insync.replicas: copies that must have an acks=all write before it is acknowledged; below replicationFactor, so one broker can be down. Default: the cluster's."),
  retentionHours: z.int().min(-1).refine((h) => h !== 0, "must be -1 (keep forever) or at least 1").default(168).describe("retention.ms, in hours: how long records are kept (-1: forever). Default: 168 (7 days), Kafka's."),
  retentionBytes: z.int().min(-1).default(-1).describe("retention.bytes: the most each partition keeps before the oldest records go (-1: no size limit, Kafka's default)."),
  cleanupPolicy: z.enum(["delete", "compact", "delete,compact"]).default("delete").describe("cleanup.policy: delete old records, compact to the newest per key, or both."),
  configs: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .default({})
    .describe("Further topic-level configs (Kafka's names for the cluster's version, such as max.message.bytes); the fields above are set there, not here."),
  producers: z.array(z.string()).default([]).describe("The services that produce to it: each may write (WriteData) to this topic, and no other it does not produce to."),
  consumers: z.array(z.string()).default([]).describe("The services that consume it: each may read (ReadData) it in its own consumer groups (groupPrefixes)."),
}).describe("A Kafka topic.");

export const streamingSchema = strict({
    kafkaVersion: z.enum(KAFKA_VERSIONS).default(DEFAULT_KAFKA_VERSION).describe("Apache Kafka version, KRaft only (modules/streaming/kafka-versions.ts lists them)."),
    brokers: z.int().min(2).max(90).default(3).describe("Broker count: a multiple of the broker zones (zones); at least 3 in production."),
    zones: z
      .int()
      .min(2, BROKER_ZONES_MESSAGE)
      .max(MAX_BROKER_ZONES, BROKER_ZONES_MESSAGE)
      .optional()
      .describe(
        "Zones the brokers are spread over, 2 or 3, at most network.azCount: the data subnets of the VPC's first zones, in the region's order (reference design 004's dev: 2 brokers in 2 zones of a 3-zone VPC). Default: azCount, at most 3. Changing it on an existing cluster replaces the cluster (its client subnets cannot change), which plan-guard refuses.",
      ),
    instanceType: z.string().describe("Broker instance type, such as kafka.m7g.large (kafka.t3.small for development)."),
    volumeSizeGiB: z.int().min(1).max(16384).default(100).describe("Initial EBS storage per broker, GiB."),
    maxVolumeSizeGiB: z.int().min(1).max(16384).default(1000).describe("Storage autoscaling grows each broker's volume up to this, GiB; at least volumeSizeGiB."),
    replicationFactor: z.int().min(1).optional().describe("default.replication.factor of new topics. Default: min(3, brokers)."),
    minInsyncReplicas: z.int().min(1).optional().describe("min.insync.replicas: replicas that must acknowledge an acks=all write; below replicationFactor. Default: replicationFactor − 1 (at least 1)."),
    defaultPartitions: z.int().min(1).max(1000).default(6).describe("Partitions of a topic that sets none (and the brokers' num.partitions)."),
    clientCertificateAuthorityArns: z
      .array(z.string().regex(/^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]+$/, "must be an ACM Private CA ARN"))
      .default([])
      .describe("Also accept TLS client certificates from these ACM Private CAs (port 9094). IAM (SASL/IAM, port 9098) is always on; unauthenticated access never."),
    logRetentionDays: z.literal(LOG_RETENTION_DAYS).default(90).describe("Retention of the broker logs, in days."),
    topics: z
      .record(z.string(), topicSchema)
      .default({})
      .describe("The topics, by name (Kafka's rules: at most 249 of letters, digits, . _ -). Terraform creates each (aws_msk_topic), so every change is in the plan; the brokers never create one on the fly. Deleting one is refused by plan-guard, like any data."),
    groupPrefixes: z
      .record(z.string(), groupPrefix)
      .default({})
      .describe("The consumer-group prefix of each service that consumes: it may join groups starting with this, and no others. Default: the service's name and a dot (app.)."),
  })
  .describe("Kafka (MSK) for the application (`<env>-streaming`). Leave out for an environment without Kafka.");

export type DatabaseConfig = z.output<typeof databaseSchema>;
export type StreamingConfig = z.output<typeof streamingSchema>;
